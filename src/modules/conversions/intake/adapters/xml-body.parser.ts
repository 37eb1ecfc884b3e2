import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { flattenInto, type Fields, type FieldsReading } from './fields';

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false, // values stay text: `059.90` and long ids are not turned into numbers
  trimValues: true,
  htmlEntities: true, // numeric character references (`&#38;`) in values
});

/**
 * A Tradedoubler-style XML message: any root element, one child element per attribute
 * (`<conversion><epi>..</epi><orderValue>..</orderValue></conversion>`).
 */
export function parseXmlBody(text: string): FieldsReading {
  // Messages never need a DTD; refusing one keeps entity expansion out of the picture.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return { ok: false, reason: 'an XML body with a DOCTYPE is not accepted' };
  if (XMLValidator.validate(text) !== true) return { ok: false, reason: 'the body is not well-formed XML' };
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch {
    return { ok: false, reason: 'the XML body cannot be read' };
  }
  const root = firstElement(doc);
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    return { ok: false, reason: 'the XML root element has no child elements' };
  }
  const fields: Fields = new Map();
  flattenInto(fields, root, '');
  return { ok: true, fields };
}

function firstElement(doc: unknown): unknown {
  if (!doc || typeof doc !== 'object') return null;
  const name = Object.keys(doc).find((key) => !key.startsWith('?') && key !== '#text');
  return name === undefined ? null : (doc as Record<string, unknown>)[name];
}
