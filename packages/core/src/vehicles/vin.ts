import type { VinDecoded, VinRegion } from './vin.schemas.ts';
import { WMI_MANUFACTURERS } from './wmi.ts';

/**
 * Vehicle identification numbers: the rules of ISO 3779 / ISO 3780 and, for North
 * America, 49 CFR 565. Everything here is offline and pure: a VIN is checked and
 * decoded from its characters alone.
 */

const VIN_LENGTH = 17;
/** Before model year 1981 makers used their own, shorter formats (GM: 13 characters from 1966). */
const SHORT_VIN_MIN_LENGTH = 6;
const FIRST_17_CHARACTER_YEAR = 1981;

/** I, O and Q are never used: they read as 1, 0 and 0. */
const VIN_CHARACTER = /^[A-HJ-NPR-Z0-9]$/;
const LOOKALIKE: Record<string, string> = { I: '1', O: '0', Q: '0' };

/** Letters count as digits by their transliteration (49 CFR 565.15). */
// prettier-ignore
const TRANSLITERATION: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
/** The weight of each position; position 9, the check digit itself, weighs 0. */
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
const CHECK_DIGIT_INDEX = 8;

/**
 * The first character's region (ISO 3780), in the standard's order of characters
 * (A…Z, then 1…9, then 0), which is why South America's "8–0" includes 0.
 */
const REGION_RANGES: Array<[first: string, last: string, region: VinRegion]> = [
  ['A', 'H', 'Africa'],
  ['J', 'R', 'Asia'],
  ['S', 'Z', 'Europe'],
  ['1', '5', 'North America'],
  ['6', '7', 'Oceania'],
  ['8', '0', 'South America'],
];
const ISO_3780_ORDER = 'ABCDEFGHJKLMNPRSTUVWXYZ1234567890';

/**
 * Position 10's year codes: one cycle of 30 model years, from 1980 (A) to 2009 (9),
 * repeating from 2010 (A). Letters I, O, Q, U, Z and the digit 0 are never used.
 */
const YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY123456789';
const FIRST_YEAR_CYCLE_START = 1980;
const YEAR_CYCLE = 30;
const MODEL_YEAR_INDEX = 9;
const YEAR_CYCLE_INDICATOR_INDEX = 6;

export function normalizeVin(raw: string): string {
  return raw.trim().toUpperCase();
}

function regionOf(vin: string): VinRegion | null {
  const rank = ISO_3780_ORDER.indexOf(vin.charAt(0));
  if (rank < 0) return null;
  const range = REGION_RANGES.find(([first, last]) => rank >= ISO_3780_ORDER.indexOf(first) && rank <= ISO_3780_ORDER.indexOf(last));
  return range?.[2] ?? null;
}

/** The check digit a 17-character VIN must carry at position 9: `0`–`9` or `X` (for 10). */
export function expectedCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < VIN_LENGTH; i++) {
    const char = vin.charAt(i);
    sum += (TRANSLITERATION[char] ?? Number(char)) * WEIGHTS[i]!;
  }
  const remainder = sum % 11;
  return remainder === 10 ? 'X' : String(remainder);
}

/**
 * The model year from position 10. In North America (49 CFR 565.15, for passenger
 * cars, multipurpose vehicles and light trucks) position 7 tells the cycle apart:
 * a letter there means 2010–2039, a digit 1980–2009. Elsewhere nothing tells the
 * cycle, so the year is null rather than a guess. The VIN alone does not say
 * whether it is a heavy truck or bus, so the rule is applied to every North
 * American VIN.
 */
function modelYearOf(vin: string, region: VinRegion | null): number | null {
  const code = YEAR_CODES.indexOf(vin.charAt(MODEL_YEAR_INDEX));
  if (code < 0 || region !== 'North America') return null;
  const laterCycle = /[A-Z]/.test(vin.charAt(YEAR_CYCLE_INDICATOR_INDEX));
  return FIRST_YEAR_CYCLE_START + code + (laterCycle ? YEAR_CYCLE : 0);
}

/**
 * North America requires the check digit. Elsewhere it is reported: `invalid` when
 * position 9 holds a digit or X that does not match, `not_required` when it holds
 * anything else (European makers often put a filler such as Z there).
 */
function checkDigitStatusOf(vin: string, region: VinRegion | null): VinDecoded['check_digit'] {
  const actual = vin.charAt(CHECK_DIGIT_INDEX);
  if (actual === expectedCheckDigit(vin)) return 'valid';
  return region === 'North America' || /^[0-9X]$/.test(actual) ? 'invalid' : 'not_required';
}

/** What a 17-character VIN tells; a shorter (pre-1981) VIN follows no standard, so it tells nothing. */
export function decodeVin(vin: string): VinDecoded {
  if (vin.length !== VIN_LENGTH) return { manufacturer: null, region: null, model_year: null, check_digit: 'not_required' };
  const region = regionOf(vin);
  return {
    manufacturer: WMI_MANUFACTURERS[vin.slice(0, 3)] ?? null,
    region,
    model_year: modelYearOf(vin, region),
    check_digit: checkDigitStatusOf(vin, region),
  };
}

export type VinCheck = { ok: true; vin: string; decoded: VinDecoded } | { ok: false; detail: string };

/**
 * Normalises and validates a VIN for a new write, saying exactly what is wrong:
 * the first forbidden character and its position, the length, or the check digit
 * it should have. `year` (the vehicle's, as given) admits a short pre-1981 VIN.
 */
export function checkVin(raw: string, year?: number | null): VinCheck {
  const vin = normalizeVin(raw);
  const badAt = [...vin].findIndex((char) => !VIN_CHARACTER.test(char));
  if (badAt >= 0) {
    const char = vin.charAt(badAt);
    const lookalike = LOOKALIKE[char];
    return {
      ok: false,
      detail:
        `A VIN has only the digits 0-9 and the letters A-Z except I, O and Q: position ${badAt + 1} is '${char}'` +
        (lookalike ? ` (probably '${lookalike}')` : ''),
    };
  }
  if (vin.length !== VIN_LENGTH) {
    const preStandard = year != null && year < FIRST_17_CHARACTER_YEAR;
    if (preStandard && isShortVinLength(vin.length)) return { ok: true, vin, decoded: decodeVin(vin) };
    return { ok: false, detail: describeWrongLength(vin.length, year) };
  }
  const decoded = decodeVin(vin);
  if (decoded.region === 'North America' && decoded.check_digit === 'invalid') {
    return {
      ok: false,
      detail:
        `The check digit (position 9) is '${vin.charAt(CHECK_DIGIT_INDEX)}' but the other characters give ` +
        `'${expectedCheckDigit(vin)}': one of them is probably mistyped`,
    };
  }
  return { ok: true, vin, decoded };
}

function isShortVinLength(length: number): boolean {
  return length >= SHORT_VIN_MIN_LENGTH && length < VIN_LENGTH;
}

function describeWrongLength(length: number, year: number | null | undefined): string {
  const has = `this one has ${length}`;
  if (!isShortVinLength(length)) {
    return `A VIN has ${VIN_LENGTH} characters (${SHORT_VIN_MIN_LENGTH} to ${VIN_LENGTH - 1} for a vehicle built before ${FIRST_17_CHARACTER_YEAR}); ${has}`;
  }
  if (year == null) {
    return `A VIN has ${VIN_LENGTH} characters; a shorter one (${has}) is accepted only with the vehicle's year, before ${FIRST_17_CHARACTER_YEAR}`;
  }
  return `Since ${FIRST_17_CHARACTER_YEAR} a VIN has ${VIN_LENGTH} characters; ${has}`;
}
