import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A MaxMind DB value (strings, unsigned ints, arrays, maps; small sizes only). */
function encode(v: unknown): Buffer {
  const ctrl = (type: number, size: number) => Buffer.from(type <= 7 ? [(type << 5) | size] : [size, type - 7]);
  if (typeof v === 'string') return Buffer.concat([ctrl(2, Buffer.byteLength(v)), Buffer.from(v)]);
  if (typeof v === 'number') {
    const bytes = Buffer.from(v.toString(16).padStart(8, '0'), 'hex').subarray(v > 0xffffff ? 0 : v > 0xffff ? 1 : 2);
    return Buffer.concat([ctrl(6, bytes.length), bytes]);
  }
  if (Array.isArray(v)) return Buffer.concat([ctrl(11, v.length), ...v.map(encode)]);
  const entries = Object.entries(v as object);
  return Buffer.concat([ctrl(7, entries.length), ...entries.flatMap(([k, x]) => [encode(k), encode(x)])]);
}

/**
 * Writes an IPv4 MaxMind DB holding one network (`a.b.c.d/bits`) to a temporary file, so tests of
 * the GEOIP_MMDB path need no download. Format: maxmind.github.io/MaxMind-DB.
 */
export function writeTestMmdb(cidr: string, record: object): string {
  const [network, prefix] = cidr.split('/');
  const nodes = Number(prefix);
  const tree = Buffer.alloc(nodes * 6);
  const bits = network.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  for (let i = 0; i < nodes; i++) {
    const bit = Math.floor(bits / 2 ** (31 - i)) % 2;
    const next = i < nodes - 1 ? i + 1 : nodes + 16; // last bit: the first datum after the separator
    tree.writeUIntBE(bit ? nodes : next, i * 6, 3);
    tree.writeUIntBE(bit ? next : nodes, i * 6 + 3, 3);
  }
  const metadata = encode({
    node_count: nodes,
    record_size: 24,
    ip_version: 4,
    database_type: 'Test-City',
    languages: ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: 1700000000,
    description: { en: 'test' },
  });
  const marker = Buffer.from('ABCDEF4D61784D696E642E636F6D', 'hex');
  const path = join(mkdtempSync(join(tmpdir(), 'geo-')), 'test.mmdb');
  writeFileSync(path, Buffer.concat([tree, Buffer.alloc(16), encode(record), marker, metadata]));
  return path;
}
