import { useState, type ReactNode } from 'react';

/** Any value from outside as text: objects as indented JSON, in a <pre> (never markup). */
export function Raw({ value, label }: { value: unknown; label: string }) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <pre aria-label={label} tabIndex={0}>
      {text ?? ''}
    </pre>
  );
}

export function Props({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="props">
      {items.map(([k, v]) => (
        <div key={k} style={{ display: 'contents' }}>
          <dt>{k}</dt>
          <dd>{v === null || v === undefined || v === '' ? '—' : v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A value to hand to someone else (tracking link, postback URL) with a button that copies it. */
export function Copy({ value, label }: { value: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <div className="copy">
      <code aria-label={label}>{value}</code>
      <button
        type="button"
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(
            () => setDone(true),
            () => setDone(false),
          );
        }}
      >
        {done ? 'Copied' : `Copy ${label.toLowerCase()}`}
      </button>
    </div>
  );
}

export function More({ show, onClick }: { show: boolean; onClick: () => void }) {
  return show ? (
    <p>
      <button type="button" onClick={onClick}>
        Load more
      </button>
    </p>
  ) : null;
}

export function Select({ label, value, options, onChange }: { label: string; value: string; options: [string, string][]; onChange: (v: string) => void }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}
