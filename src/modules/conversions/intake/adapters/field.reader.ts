import { shapesOf, type FieldShape, type Fields } from './fields';
import { isUnreplacedMacro } from './macro';
import { hashEmail, hashEmailsIn, isEmailName, isSecretName, show } from './sensitive';

export interface Picked {
  name: string;
  value: string;
}

const MAX_EXTRA_FIELDS = 50;
const MAX_EXTRA_LENGTH = 1000;

/**
 * Reads a call's fields once each, collecting notes for the inbound log. Whatever no adapter
 * read ends up in `extra`.
 */
export class FieldReader {
  readonly notes: string[] = [];
  /** Fields read for one value that held a JSON object or array instead (the call is refused). */
  readonly wrongTypes: { name: string; shape: FieldShape }[] = [];
  private readonly fields: Fields;
  private readonly shapes: ReadonlyMap<string, FieldShape>;
  private readonly read = new Set<string>();

  constructor(fields: Fields) {
    this.fields = new Map(fields);
    this.shapes = shapesOf(fields);
    for (const [name, values] of fields) {
      // `&amp;pid=` copied from an HTML pixel arrives as a parameter named `amp;pid`.
      const plain = name.startsWith('amp;') ? name.slice(4) : '';
      if (plain && !this.fields.has(plain)) {
        this.fields.set(plain, values);
        this.fields.delete(name);
        this.notes.push(`parameter ${show(name)} read as ${show(plain)} (an HTML-escaped '&')`);
      }
    }
  }

  /** The first usable value among `names`, trimmed: present, not empty, not an unreplaced macro. */
  first(names: readonly string[]): Picked | null {
    for (const name of names) {
      const shape = this.shapes.get(name);
      if (shape) {
        this.read.add(name);
        for (const key of this.fields.keys()) if (key.startsWith(`${name}.`)) this.read.add(key);
        if (!this.wrongTypes.some((w) => w.name === name)) this.wrongTypes.push({ name, shape });
        continue;
      }
      const raw = this.raw(name);
      if (raw === null) continue;
      const value = raw.trim();
      if (value === '') this.notes.push(`${name} is empty, treated as absent`);
      else if (isUnreplacedMacro(value)) this.notes.push(`${name} ${show(value)} is an unreplaced macro, treated as absent`);
      else return { name, value };
    }
    return null;
  }

  /** The first value of a field as sent; a repeated name is noted. Marks the field read. */
  raw(name: string): string | null {
    const values = this.fields.get(name);
    if (!values || values.length === 0) return null;
    if (values.length > 1 && !this.read.has(name)) {
      this.notes.push(`${name} was given ${values.length} times, the first value was used`);
    }
    this.read.add(name);
    return values[0];
  }

  /** Fields nobody read, worth keeping: secrets dropped, e-mail addresses hashed, sizes capped. */
  unread(): Record<string, string> {
    const extra: Record<string, string> = {};
    let kept = 0;
    for (const [name, values] of this.fields) {
      const value = values.join(',').trim();
      if (this.read.has(name) || isSecretName(name) || !worthKeeping(name, value)) continue;
      if (kept++ === MAX_EXTRA_FIELDS) {
        this.notes.push(`only ${MAX_EXTRA_FIELDS} extra fields are kept`);
        break;
      }
      if (name === 'eml' || name === 'email') extra.emlSha256 = hashEmail(value);
      else if (isEmailName(name)) extra[name] = hashEmail(value);
      else extra[name] = hashEmailsIn(value).slice(0, MAX_EXTRA_LENGTH);
    }
    return extra;
  }
}

function worthKeeping(name: string, value: string): boolean {
  return name !== '' && name !== '__proto__' && name.length <= 100 && value !== '' && !isUnreplacedMacro(value);
}
