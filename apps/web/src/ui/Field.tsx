import { useId, type ReactNode } from 'react';

/** What the control gets from its field: the label's id, its description, its invalid state and the common look. */
export interface ControlProps {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
  className: string;
}

export interface FieldProps {
  label: string;
  /** The input, select or textarea, spreading the props it is given: `{(props) => <input {...props} />}`. */
  children: (props: ControlProps) => ReactNode;
  /** The API's message for this field (`fieldErrors(error)[name]`). */
  error?: string;
  hint?: string;
  className?: string;
}

/** The look of every text input and select, so that forms match. */
export const inputClass =
  'rounded border border-slate-500 bg-white px-2 py-1.5 text-slate-900 aria-[invalid=true]:border-red-700 focus:outline-2 focus:outline-blue-700';

/** A visible label, the control, and the API's error next to it, tied together for screen readers. */
export function Field({ label, children, error, hint, className }: FieldProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`flex flex-col gap-1 ${className ?? ''}`}>
      <label htmlFor={`${id}-control`} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {children({ id: `${id}-control`, 'aria-describedby': described, 'aria-invalid': error ? true : undefined, className: inputClass })}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-800">
          {error}
        </p>
      )}
    </div>
  );
}
