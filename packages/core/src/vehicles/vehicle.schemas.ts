import { z } from 'zod';
import { MAX_LENGTH, MAX_ODOMETER, MIN_VEHICLE_YEAR } from '../shared/limits.ts';
import { DatabaseText, Id, IdField, IdParam, paginated, PaginationInput } from '../shared/schemas.ts';
import { VinDecoded } from './vin.schemas.ts';

export const ODOMETER_UNITS = ['mi', 'km'] as const;
export const OdometerUnit = z.enum(ODOMETER_UNITS).meta({ id: 'OdometerUnit', example: 'mi' });

/**
 * A VIN as sent: checked by `checkVin` in the domain (the rules depend on the
 * year), so that a wrong one is a 400 `invalid_vin` that says what is wrong.
 */
export const VinText = z.string().trim().toUpperCase().min(1).max(32).meta({ example: '1HGCM82633A004352' });
/** Plates are compared as stored: trimmed and upper-cased. */
const Plate = DatabaseText(1, MAX_LENGTH.plate).toUpperCase();
const VehicleText = DatabaseText(1, MAX_LENGTH.vehicleText);
const ModelYear = z
  .int()
  .min(MIN_VEHICLE_YEAR)
  .max(2100)
  .pipe(z.int())
  .meta({ description: 'Model year; a VIN of 6 to 16 characters needs a year before 1981.' });
export const OdometerReadingValue = z.int().min(0).max(MAX_ODOMETER).pipe(z.int());

export const Vehicle = z
  .object({
    id: Id,
    customer_id: Id,
    vin: z.string().nullable(),
    plate: z.string().nullable(),
    year: z.int().nullable(),
    make: z.string().nullable(),
    model: z.string().nullable(),
    trim: z.string().nullable(),
    engine: z.string().nullable(),
    color: z.string().nullable(),
    odometer: z.int().nullable().meta({ description: 'The latest odometer reading.' }),
    odometer_unit: OdometerUnit,
    decoded: VinDecoded.nullable().meta({ description: 'What the VIN says, decoded offline; null without a VIN.' }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({
    id: 'Vehicle',
    example: {
      id: 4,
      customer_id: 3,
      vin: '1HGCM82633A004352',
      plate: 'ACC 1',
      year: 2003,
      make: 'Honda',
      model: 'Accord',
      trim: 'EX',
      engine: '3.0 V6',
      color: 'Silver',
      odometer: 182_340,
      odometer_unit: 'mi',
      decoded: { manufacturer: 'Honda', region: 'North America', model_year: 2003, check_digit: 'valid' },
      created_at: '2026-11-29T17:03:11.000Z',
      updated_at: '2026-11-30T09:12:00.000Z',
    },
  });
export type Vehicle = z.output<typeof Vehicle>;

export const VehiclePage = paginated(Vehicle, 'VehiclePage');

const vehicleFields = {
  vin: VinText,
  plate: Plate,
  year: ModelYear,
  make: VehicleText,
  model: VehicleText,
  trim: VehicleText,
  engine: VehicleText,
  color: DatabaseText(1, MAX_LENGTH.color),
};

export const NewVehicle = z
  .strictObject({
    customer_id: IdField.optional().meta({
      description: "Staff only: the customer whose vehicle it is. A customer's own vehicle omits it.",
    }),
    ...vehicleFields,
    odometer: OdometerReadingValue.optional(),
    odometer_unit: OdometerUnit.default('mi'),
  })
  .partial({ vin: true, plate: true, year: true, make: true, model: true, trim: true, engine: true, color: true })
  .meta({
    id: 'NewVehicle',
    description: 'A VIN or a plate is required. Year and make given here win over the values decoded from the VIN.',
    examples: [{ vin: '1HGCM82633A004352', plate: 'ACC 1', model: 'Accord', color: 'Silver', odometer: 182_340, odometer_unit: 'mi' }],
  });
export type NewVehicle = z.output<typeof NewVehicle>;

export const VehicleChanges = z
  .strictObject({
    customer_id: IdField.meta({ description: 'Staff only: moves the vehicle to another customer (a change of owner).' }),
    ...vehicleFields,
  })
  .partial()
  .extend({ id: IdParam })
  .meta({ examples: [{ plate: 'ACC 2', color: 'Blue' }] });
export type VehicleChanges = z.output<typeof VehicleChanges>;

export const VehicleQuery = PaginationInput.extend({
  customer_id: IdParam.optional(),
  vin: VinText.optional(),
  plate: Plate.meta({ example: 'ACC 1' }).optional(),
  q: DatabaseText(1, MAX_LENGTH.vehicleText).meta({ description: 'Part of the make, model, VIN or plate.', example: 'Accord' }).optional(),
});
export type VehicleQuery = z.output<typeof VehicleQuery>;

export const VinLookup = z.strictObject({
  vin: VinText,
  year: z.coerce
    .number<number>()
    .int()
    .min(MIN_VEHICLE_YEAR)
    .max(2100)
    .meta({ description: 'For VINs before 1981.', example: 1975 })
    .optional(),
});
export type VinLookup = z.output<typeof VinLookup>;

export const VinReport = z.object({ vin: z.string(), decoded: VinDecoded }).meta({
  id: 'VinReport',
  example: {
    vin: '1HGCM82633A004352',
    decoded: { manufacturer: 'Honda', region: 'North America', model_year: 2003, check_digit: 'valid' },
  },
});
export type VinReport = z.output<typeof VinReport>;

export const OdometerReading = z
  .object({
    id: Id,
    vehicle_id: Id,
    reading: z.int(),
    unit: OdometerUnit,
    correction_reason: z.string().nullable().meta({ description: 'Why a reading is below the one before it.' }),
    recorded_by: z.object({ kind: z.enum(['customer', 'staff']), id: Id }),
    recorded_at: z.iso.datetime(),
    service_ticket_id: Id.nullable().meta({ description: 'The ticket it was read on (odometer_in or odometer_out).' }),
  })
  .meta({
    id: 'OdometerReading',
    example: {
      id: 9,
      vehicle_id: 4,
      reading: 182_340,
      unit: 'mi',
      correction_reason: null,
      recorded_by: { kind: 'staff', id: 1 },
      recorded_at: '2026-11-30T09:12:00.000Z',
      service_ticket_id: 7,
    },
  });
export type OdometerReading = z.output<typeof OdometerReading>;

export const OdometerReadingPage = paginated(OdometerReading, 'OdometerReadingPage');

export const OdometerQuery = PaginationInput.extend({ id: IdParam });
export type OdometerQuery = z.output<typeof OdometerQuery>;

export const NewOdometerReading = z
  .strictObject({
    id: IdParam,
    reading: OdometerReadingValue,
    unit: OdometerUnit.optional().meta({ description: "The vehicle's unit when omitted." }),
    correction_reason: DatabaseText(1, MAX_LENGTH.correctionReason)
      .optional()
      .meta({ description: 'Required for a reading below the latest one (a corrected mistake, a replaced odometer).' }),
  })
  .meta({ examples: [{ reading: 182_340, unit: 'mi' }] });
export type NewOdometerReading = z.output<typeof NewOdometerReading>;
