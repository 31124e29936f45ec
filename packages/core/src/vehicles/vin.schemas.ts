import { z } from 'zod';

const VIN_REGIONS = ['Africa', 'Asia', 'Europe', 'North America', 'Oceania', 'South America'] as const;
export const VinRegion = z.enum(VIN_REGIONS);
export type VinRegion = z.output<typeof VinRegion>;

const CHECK_DIGIT_STATUSES = ['valid', 'invalid', 'not_required'] as const;
const CheckDigitStatus = z.enum(CHECK_DIGIT_STATUSES).meta({
  description:
    'Whether position 9 matches the check digit computed from the other characters. North American VINs must match; ' +
    'elsewhere a mismatch is reported, not enforced, and `not_required` means the VIN carries no check digit ' +
    '(position 9 is not a digit or X, or the VIN is a short pre-1981 one).',
});

/** What a VIN tells about its vehicle, read offline from the VIN alone. */
export const VinDecoded = z
  .object({
    manufacturer: z.string().nullable().meta({ description: 'From the world manufacturer identifier (the first three characters).' }),
    region: VinRegion.nullable().meta({ description: 'From the first character (ISO 3780).' }),
    model_year: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'From position 10; null when it cannot be told apart from the year 30 years earlier or later.' }),
    check_digit: CheckDigitStatus,
  })
  .meta({
    id: 'VinDecoded',
    example: { manufacturer: 'Honda', region: 'North America', model_year: 2003, check_digit: 'valid' },
  });
export type VinDecoded = z.output<typeof VinDecoded>;
