import { describe, expect, it } from 'vitest';
import { checkVin, decodeVin, expectedCheckDigit, normalizeVin } from './vin.ts';
import { VinDecoded } from './vin.schemas.ts';
import { WMI_MANUFACTURERS } from './wmi.ts';

/**
 * Real VINs (from public recall, auction and decoder examples) whose position 9 is
 * the check digit the standard algorithm gives: the last test of this file proves
 * it for every row, so no row is a made-up VIN that would pass by accident.
 */
const VALID_VINS: Array<[vin: string, decoded: VinDecoded]> = [
  ['1HGCM82633A004352', { manufacturer: 'Honda', region: 'North America', model_year: 2003, check_digit: 'valid' }],
  ['5YJSA1H12FFP71790', { manufacturer: 'Tesla', region: 'North America', model_year: 2015, check_digit: 'valid' }],
  ['1HD1GP4558K319097', { manufacturer: 'Harley-Davidson', region: 'North America', model_year: 2008, check_digit: 'valid' }],
  ['1M8GDM9AXKP042788', { manufacturer: 'Motor Coach Industries', region: 'North America', model_year: 1989, check_digit: 'valid' }],
  ['5GZCZ43D13S812715', { manufacturer: 'Saturn', region: 'North America', model_year: 2003, check_digit: 'valid' }],
  ['1G1JC5444R7252367', { manufacturer: 'Chevrolet', region: 'North America', model_year: 1994, check_digit: 'valid' }],
  ['1G1ZT53826F109149', { manufacturer: 'Chevrolet', region: 'North America', model_year: 2006, check_digit: 'valid' }],
  ['5XYKT3A69DG353356', { manufacturer: 'Kia', region: 'North America', model_year: 2013, check_digit: 'valid' }],
  ['1C4RJFAG0FC625797', { manufacturer: 'Chrysler', region: 'North America', model_year: 2015, check_digit: 'valid' }],
  ['2T1BURHE3JC012345', { manufacturer: 'Toyota', region: 'North America', model_year: 2018, check_digit: 'valid' }],
  ['3FAHP0HA5AR123456', { manufacturer: 'Ford', region: 'North America', model_year: 2010, check_digit: 'valid' }],
  // Outside North America the model year code cannot be told from the one 30 years away.
  ['JH4KA7561PC008269', { manufacturer: 'Acura', region: 'Asia', model_year: null, check_digit: 'valid' }],
  ['KMHDH4AE3CU123456', { manufacturer: 'Hyundai', region: 'Asia', model_year: null, check_digit: 'valid' }],
  ['WBA3A5C57CF256651', { manufacturer: 'BMW', region: 'Europe', model_year: null, check_digit: 'valid' }],
  ['WDDGF8AB5EA123456', { manufacturer: 'Mercedes-Benz', region: 'Europe', model_year: null, check_digit: 'valid' }],
  ['9BWZZZ372VT004251', { manufacturer: 'Volkswagen', region: 'South America', model_year: null, check_digit: 'valid' }],
  ['6G1ZT53836L000123', { manufacturer: 'Holden', region: 'Oceania', model_year: null, check_digit: 'valid' }],
];

/** North American VINs with one character changed: refused, naming the digit they should carry. */
const WRONG_CHECK_DIGIT: Array<[vin: string, expected: string]> = [
  ['1HGCM82643A004352', '3'],
  ['5YJSA1H13FFP71790', '2'],
  ['1M8GDM9A1KP042788', 'X'],
  ['2T1BURHE5JC012345', '3'],
  ['3FAHP0HA7AR123456', '5'],
];

/** Elsewhere the check digit is reported, not enforced. */
const OTHER_REGIONS_UNCHECKED: Array<[vin: string, checkDigit: VinDecoded['check_digit']]> = [
  ['JH4KA7560PC008269', 'invalid'],
  ['KMHDH4AE5CU123456', 'invalid'],
  ['WBA3A5C51CF256651', 'invalid'],
  ['JHMFA16586S012345', 'invalid'],
  // Position 9 holds no check digit at all: European makers often put a filler there.
  ['WVWZZZ1KZ6W123456', 'not_required'],
];

describe('checkVin', () => {
  it.each(VALID_VINS)('accepts %s and decodes it', (vin, decoded) => {
    expect(checkVin(vin)).toEqual({ ok: true, vin, decoded });
  });

  it('trims and upper-cases before checking', () => {
    expect(normalizeVin('  1hgcm82633a004352 ')).toBe('1HGCM82633A004352');
    expect(checkVin('\t1hgcm82633a004352\n')).toMatchObject({ ok: true, vin: '1HGCM82633A004352' });
  });

  it.each(WRONG_CHECK_DIGIT)('refuses %s, naming the expected check digit %s', (vin, expected) => {
    expect(checkVin(vin)).toEqual({
      ok: false,
      detail: `The check digit (position 9) is '${vin[8]}' but the other characters give '${expected}': one of them is probably mistyped`,
    });
  });

  it.each(OTHER_REGIONS_UNCHECKED)('accepts %s outside North America, reporting its check digit as %s', (vin, checkDigit) => {
    const result = checkVin(vin);
    expect(result).toMatchObject({ ok: true, vin, decoded: { check_digit: checkDigit } });
  });

  it.each([
    ['1HGCM82O33A004352', "position 8 is 'O' (probably '0')"],
    ['IHGCM82633A004352', "position 1 is 'I' (probably '1')"],
    ['1HGCM82633A00435Q', "position 17 is 'Q' (probably '0')"],
    ['1HGCM-82633A00435', "position 6 is '-'"],
    ['1HGCM 82633A00435', "position 6 is ' '"],
  ])('refuses %s: %s', (vin, why) => {
    expect(checkVin(vin)).toEqual({
      ok: false,
      detail: `A VIN has only the digits 0-9 and the letters A-Z except I, O and Q: ${why}`,
    });
  });

  it.each([
    ['', 0],
    ['12345', 5],
    ['1HGCM82633A0043521', 18],
  ])('refuses %j, whatever the year: %i characters', (vin, length) => {
    for (const year of [undefined, null, 1970, 2020]) {
      expect(checkVin(vin, year)).toEqual({
        ok: false,
        detail: `A VIN has 17 characters (6 to 16 for a vehicle built before 1981); this one has ${length}`,
      });
    }
  });

  describe('a pre-1981 VIN of 6 to 16 characters', () => {
    // A 1967 Ford Mustang (11), a 1969 Chevrolet Camaro (13), and the shortest and longest lengths.
    const SHORT_VINS: Array<[vin: string, year: number]> = [
      ['7R01C123456', 1967],
      ['124379N500001', 1969],
      ['A12345', 1955],
      ['1G1AB2345C678901', 1980],
    ];

    it.each(SHORT_VINS)('accepts %s with the year %i, decoding nothing from it', (vin, year) => {
      expect(checkVin(vin, year)).toEqual({
        ok: true,
        vin,
        decoded: { manufacturer: null, region: null, model_year: null, check_digit: 'not_required' },
      });
    });

    it.each(SHORT_VINS)('refuses %s without a year', (vin) => {
      expect(checkVin(vin)).toEqual({
        ok: false,
        detail: `A VIN has 17 characters; a shorter one (this one has ${vin.length}) is accepted only with the vehicle's year, before 1981`,
      });
      expect(checkVin(vin, null)).toMatchObject({ ok: false });
    });

    it.each(SHORT_VINS)('refuses %s with a year from 1981 on', (vin) => {
      expect(checkVin(vin, 1981)).toEqual({ ok: false, detail: `Since 1981 a VIN has 17 characters; this one has ${vin.length}` });
    });
  });
});

describe('decodeVin', () => {
  it('reads the model year from position 10, in the cycle position 7 tells in North America', () => {
    // Position 7 a letter: 2010–2039; a digit: 1980–2009.
    expect(decodeVin('5YJ3E1EAXYF000316').model_year).toBe(2030);
    expect(decodeVin('3FAHP0HA5AR123456').model_year).toBe(2010);
    expect(decodeVin('1HGCM8267AA004352').model_year).toBe(1980);
    expect(decodeVin('1HGCM82633A004352').model_year).toBe(2003);
    // 0, U and Z are no year codes.
    expect(decodeVin('1HGCM82690A004352').model_year).toBeNull();
    expect(decodeVin('5YJ3E1EA7UF000316').model_year).toBeNull();
  });

  it('reports a wrong North American check digit as invalid (kept VINs from before the rules)', () => {
    expect(decodeVin('2T1BURHE5JC012345')).toEqual({
      manufacturer: 'Toyota',
      region: 'North America',
      model_year: 2018,
      check_digit: 'invalid',
    });
  });

  it.each([
    ['A', 'Africa'],
    ['H', 'Africa'],
    ['J', 'Asia'],
    ['K', 'Asia'],
    ['L', 'Asia'],
    ['R', 'Asia'],
    ['S', 'Europe'],
    ['W', 'Europe'],
    ['Z', 'Europe'],
    ['1', 'North America'],
    ['5', 'North America'],
    ['6', 'Oceania'],
    ['7', 'Oceania'],
    ['8', 'South America'],
    ['9', 'South America'],
    ['0', 'South America'],
  ])('places a VIN starting with %s in %s (ISO 3780)', (first, region) => {
    expect(decodeVin(`${first}BCDEFGHJ1KLMNPRS`).region).toBe(region);
  });

  it('names the manufacturer from the WMI, and none for a WMI it does not know', () => {
    expect(decodeVin('JHMFA165X6S012345').manufacturer).toBe('Honda');
    expect(decodeVin('WVWZZZ1KZ6W123456').manufacturer).toBe('Volkswagen');
    expect(decodeVin('11111111111111111')).toEqual({ manufacturer: null, region: 'North America', model_year: 2001, check_digit: 'valid' });
  });

  it('gives answers its own schema accepts', () => {
    for (const [vin] of [...VALID_VINS, ...OTHER_REGIONS_UNCHECKED]) expect(VinDecoded.parse(decodeVin(vin))).toEqual(decodeVin(vin));
  });
});

describe('the WMI table', () => {
  it('holds at least 150 well-formed WMIs, each with a manufacturer', () => {
    const entries = Object.entries(WMI_MANUFACTURERS);
    expect(entries.length).toBeGreaterThanOrEqual(150);
    for (const [wmi, manufacturer] of entries) {
      expect(wmi).toMatch(/^[A-HJ-NPR-Z0-9]{3}$/);
      expect(manufacturer.trim()).not.toBe('');
    }
  });
});

describe('the test VINs themselves', () => {
  it('carry the check digit of the standard weights and transliteration, unless a test is about a wrong one', () => {
    for (const [vin] of VALID_VINS) expect(expectedCheckDigit(vin), vin).toBe(vin[8]);
    for (const [vin, expected] of WRONG_CHECK_DIGIT) expect(expectedCheckDigit(vin), vin).toBe(expected);
    // Seventeen ones: the weights add up to 89, and 89 mod 11 is 1.
    expect(expectedCheckDigit('11111111111111111')).toBe('1');
  });
});
