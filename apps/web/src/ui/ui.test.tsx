import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TRPCClientError } from '@trpc/client';
import type { ErrorData } from '@mechanic-shop/sdk';
import { Field, fieldErrors, formatMoney, initialsOf, Pagination } from './index.ts';

afterEach(cleanup);

describe('formatMoney', () => {
  it("formats the API's decimal strings in the currency, exactly (no float on the way)", () => {
    expect(formatMoney('1234.5', 'USD', 'en-US')).toBe('$1,234.50');
    expect(formatMoney('-12.30', 'EUR', 'de-DE').replace(/\s/g, ' ')).toBe('-12,30 €');
    // Past 2^53 hundredths: as a float it would print ...409.98.
    expect(formatMoney('90071992547409.99', 'USD', 'en-US')).toBe('$90,071,992,547,409.99');
  });

  it('shows the plain amount while the currency is not known', () => {
    expect(formatMoney('7', undefined, 'en-US')).toBe('7.00');
  });
});

describe('initialsOf', () => {
  it('takes the first letters of the first and last names', () => {
    expect(['Lee Novak', 'Mary Jane van der Berg', 'Cher', '  ada  lovelace '].map(initialsOf)).toEqual(['LN', 'MB', 'C', 'AL']);
  });
});

describe('fieldErrors', () => {
  it("maps the API's field errors by their dotted path; anything else has none", () => {
    const refusal = (data: ErrorData) =>
      new TRPCClientError('The request is not valid', { result: { error: { code: -32600, message: '', data } } });
    const data: ErrorData = { code: 'BAD_REQUEST', httpStatus: 400, reason: 'validation_failed' };
    expect(fieldErrors(refusal(data))).toEqual({});
    const fields = [{ field: 'tax_rates.labor', message: 'Expected a percentage' }];
    expect(fieldErrors(refusal({ ...data, fields }))).toEqual({ 'tax_rates.labor': 'Expected a percentage' });
    expect(fieldErrors(new Error('offline'))).toEqual({});
  });
});

describe('Field', () => {
  it('ties the label, the control and its error together for assistive technology', () => {
    render(
      <Field label="Hours" hint="For example 1.5" error="Expected hours above 0">
        {(props) => <input {...props} />}
      </Field>,
    );
    const input = screen.getByLabelText('Hours');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const described = input
      .getAttribute('aria-describedby')!
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent);
    expect(described).toEqual(['For example 1.5', 'Expected hours above 0']);
  });
});

describe('Pagination', () => {
  it('says where the list is, and offers only the pages that exist', () => {
    render(<Pagination page={2} per_page={10} total={25} onPage={() => {}} label="tickets" />);
    expect(screen.getByRole('navigation', { name: 'Pages of tickets' }).textContent).toContain('11–20 of 25 tickets (page 2 of 3)');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Previous page' }).disabled).toBe(false);
    cleanup();
    render(<Pagination page={3} per_page={10} total={25} onPage={() => {}} />);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next page' }).disabled).toBe(true);
  });
});
