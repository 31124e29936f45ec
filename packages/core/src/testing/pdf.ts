import { execFileSync, spawnSync } from 'node:child_process';

/*
 * Reading a PDF as a person would, with Debian's poppler-utils (`pdftotext`,
 * `pdftoppm`): an extractor that shares nothing with the code that wrote it.
 */

/** Whether poppler-utils is installed; the tests that read PDFs say they were skipped without it. */
export const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0;

/** The text of a PDF, laid out as on the page (`pdftotext -layout`); pages are separated by form feeds. */
export function pdfText(pdf: Uint8Array): string {
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', '-', '-'], { input: pdf, encoding: 'utf8' });
}

/** One page of a PDF as a PNG image (`pdftoppm -png -r <dpi> -singlefile`), written to `file` (without its `.png`). */
export function pdfPageToPng(pdf: Uint8Array, file: string, { page = 1, dpi = 60 } = {}): void {
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', '-', file], { input: pdf });
}

/**
 * Every amount of money in a JSON answer (strings such as "219.80"), with the
 * path to it, but those at `internal` keys (what sublet work costs the shop,
 * which a customer's document never shows).
 */
export function moneyFigures(value: unknown, internal: readonly string[] = [], path = ''): Array<{ path: string; amount: string }> {
  if (typeof value === 'string') return /^-?\d+\.\d{2}$/.test(value) ? [{ path, amount: value }] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    internal.includes(key) ? [] : moneyFigures(item, internal, path ? `${path}.${key}` : key),
  );
}

/** Whether `amount` appears in `text` as a number of its own (not inside "1219.805"). */
export function showsAmount(text: string, amount: string): boolean {
  return new RegExp(`(?<![\\d.])${amount.replace('.', '\\.')}(?![\\d])`).test(text);
}
