import { createContext, useContext, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { useAuth } from '../auth';

type Obj = Record<string, unknown>;

export function getIn(o: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((acc, k) => (acc === null || acc === undefined ? undefined : (acc as Obj)[k]), o);
}

export function setIn<T>(o: T, path: string, v: unknown): T {
  const [k, ...rest] = path.split('.');
  const base: Obj | unknown[] = Array.isArray(o) ? [...o] : { ...(o as Obj) };
  const cur = (base as Obj)[k];
  (base as Obj)[k] = rest.length ? setIn(cur ?? (/^\d+$/.test(rest[0]) ? [] : {}), rest.join('.'), v) : v;
  return base as T;
}

export interface FormApi<T> {
  value: T;
  get(path: string): unknown;
  set(path: string, v: unknown): void;
  errors: Record<string, string[]>;
  readOnly: boolean;
}

const FormContext = createContext<FormApi<unknown> | null>(null);

export function useFormContext(): FormApi<unknown> {
  const f = useContext(FormContext);
  if (!f) throw new Error('outside a form');
  return f;
}

/**
 * A form's state, the server's field errors (by path, `a.0.b`) and its submission. The body is
 * built from the state by `toBody`; field paths are the body's paths, so a 400 naming
 * `rules[0].when.country` lands next to that field.
 */
export function Form<T>(props: {
  initial: T;
  submitLabel: string;
  onSubmit: (value: T) => Promise<unknown>;
  onSaved?: (answer: unknown) => void;
  children: (f: FormApi<T>) => ReactNode;
  label: string;
}) {
  const { canWrite } = useAuth();
  const [value, setValue] = useState<T>(props.initial);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const api: FormApi<T> = { value, get: (p) => getIn(value, p), set: (p, v) => setValue((prev) => setIn(prev, p, v)), errors, readOnly: !canWrite };
  return (
    <FormContext.Provider value={api as FormApi<unknown>}>
      <form
        className="form"
        aria-label={props.label}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setErrors({});
          setFailure(null);
          setSaved(false);
          props
            .onSubmit(value)
            .then((answer) => {
              setSaved(true);
              props.onSaved?.(answer);
            })
            .catch((err: unknown) => {
              if (err instanceof ApiError && Object.keys(err.fields).length) setErrors(err.fields);
              setFailure(err);
            })
            .finally(() => setBusy(false));
        }}
      >
        {failure !== null && <FormFailure error={failure} />}
        {props.children(api)}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !canWrite} title={canWrite ? undefined : 'A read key cannot change anything'}>
            {props.submitLabel}
          </button>
          {!canWrite && <span className="hint">Read-only key: changes are disabled.</span>}
          {saved && <span role="status">Saved.</span>}
        </div>
      </form>
    </FormContext.Provider>
  );
}

function FormFailure({ error }: { error: unknown }) {
  const text =
    error instanceof ApiError ? (error.status === 403 ? `Refused (403 ${error.code}): ${error.message}` : `${error.code}: ${error.message}`) : String(error);
  return (
    <p role="alert" className="error">
      {text}
    </p>
  );
}

/** The server's problems with one field, tied to its input by id. */
export function Problems({ path, id }: { path: string; id: string }) {
  const { errors } = useFormContext();
  const list = errors[path];
  if (!list?.length) return null;
  return (
    <span className="problem" id={`${id}-problem`}>
      {list.join('; ')}
    </span>
  );
}

let seq = 0;
function useId(path: string): string {
  const [id] = useState(() => `f${++seq}-${path.replace(/[^\w]/g, '-')}`);
  return id;
}

export function TextField({
  path,
  label,
  type = 'text',
  placeholder,
  hint,
}: {
  path: string;
  label: string;
  type?: string;
  placeholder?: string;
  hint?: string;
}) {
  const f = useFormContext();
  const id = useId(path);
  const bad = !!f.errors[path]?.length;
  const v = f.get(path);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={v === null || v === undefined ? '' : String(v)}
        placeholder={placeholder}
        readOnly={f.readOnly}
        aria-invalid={bad || undefined}
        aria-describedby={bad ? `${id}-problem` : undefined}
        onChange={(e) => f.set(path, e.target.value)}
      />
      {hint && <span className="hint">{hint}</span>}
      <Problems path={path} id={id} />
    </div>
  );
}

export function AreaField({ path, label, hint, rows = 3 }: { path: string; label: string; hint?: string; rows?: number }) {
  const f = useFormContext();
  const id = useId(path);
  const bad = !!f.errors[path]?.length;
  const v = f.get(path);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        value={v === null || v === undefined ? '' : String(v)}
        readOnly={f.readOnly}
        aria-invalid={bad || undefined}
        aria-describedby={bad ? `${id}-problem` : undefined}
        onChange={(e) => f.set(path, e.target.value)}
      />
      {hint && <span className="hint">{hint}</span>}
      <Problems path={path} id={id} />
    </div>
  );
}

export function SelectField({ path, label, options }: { path: string; label: string; options: [string, string][] }) {
  const f = useFormContext();
  const id = useId(path);
  const bad = !!f.errors[path]?.length;
  const v = f.get(path);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={v === null || v === undefined ? '' : String(v)}
        disabled={f.readOnly}
        aria-invalid={bad || undefined}
        aria-describedby={bad ? `${id}-problem` : undefined}
        onChange={(e) => f.set(path, e.target.value)}
      >
        {options.map(([k, l]) => (
          <option key={k} value={k}>
            {l}
          </option>
        ))}
      </select>
      <Problems path={path} id={id} />
    </div>
  );
}

/** Errors the form's fields do not show (a field this form has no input for): listed, never dropped. */
export function OtherProblems({ known }: { known: (path: string) => boolean }) {
  const { errors } = useFormContext();
  const rest = Object.entries(errors).filter(([k]) => !known(k));
  if (!rest.length) return null;
  return (
    <ul className="error">
      {rest.map(([k, v]) => (
        <li key={k}>
          {k}: {v.join('; ')}
        </li>
      ))}
    </ul>
  );
}

/** `"US, ca"` → `["US", "ca"]`; empty → undefined (the criterion is left out). */
export function list(text: unknown): string[] | undefined {
  const items = String(text ?? '')
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

export function joinList(v: unknown): string {
  return Array.isArray(v) ? v.join(', ') : '';
}

/** A number field's text as a number when it is one, else the text (the server names the problem). */
export function num(text: unknown): number | string | undefined {
  const s = String(text ?? '').trim();
  if (s === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s;
}

export function orNull(text: unknown): string | null {
  const s = String(text ?? '').trim();
  return s === '' ? null : s;
}
