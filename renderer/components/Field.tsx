import { useId } from 'react';
import type { ComponentPropsWithRef, ReactNode } from 'react';

type FieldProps = { label: string; hint?: ReactNode } & Omit<ComponentPropsWithRef<'input'>, 'id'>;

/** A labelled input with an optional hint linked by aria-describedby. */
export function Field({ label, hint, className, ...input }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={hint ? hintId : undefined} {...input} />
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
    </div>
  );
}

type SelectFieldProps = {
  label: string;
  hint?: ReactNode;
  options: readonly { value: string; label: string }[];
} & Omit<ComponentPropsWithRef<'select'>, 'id' | 'children'>;

/** A labelled <select>. */
export function SelectField({ label, hint, options, className, ...select }: SelectFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-describedby={hint ? hintId : undefined} {...select}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
    </div>
  );
}
