import { cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Job } from './board-rules.ts';
import { MoveToSelect } from './MoveToSelect.tsx';

afterEach(cleanup);

describe('MoveToSelect', () => {
  it('lists the moves the ticket may make, by a visible label, and moves it when one is chosen', async () => {
    const onMove = vi.fn();
    render(<MoveToSelect ticket={{ id: 7, status: 'IN_PROGRESS', jobs: [] }} onMove={onMove} />);
    const select = screen.getByLabelText(/Move to…/);
    expect([...select.querySelectorAll('option')].map((option) => option.textContent)).toEqual([
      'Choose a status',
      'Pending',
      'Completed',
      'Cancelled',
    ]);
    await userEvent.selectOptions(select, 'Completed');
    expect(onMove).toHaveBeenCalledExactlyOnceWith('COMPLETED');
  });

  it('does not offer to start work before the customer approved a job', () => {
    const jobs = [{ authorization: 'pending' }] as Job[];
    render(<MoveToSelect ticket={{ id: 7, status: 'PENDING', jobs }} onMove={vi.fn()} />);
    expect(screen.queryByRole('option', { name: 'In progress' })).toBeNull();
    expect(screen.getByRole('option', { name: 'Cancelled' })).toBeDefined();
  });

  it('shows nothing for a completed ticket', () => {
    const { container } = render(<MoveToSelect ticket={{ id: 7, status: 'COMPLETED', jobs: [] }} onMove={vi.fn()} />);
    expect(container.childElementCount).toBe(0);
  });
});
