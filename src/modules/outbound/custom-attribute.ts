import type { TemplateValues } from './template.renderer';
import type { CustomAttribute } from './subscription.types';

/**
 * The value of a subscription's custom attribute (SPEC §7): the `output` of the first rule whose
 * `inputs` equal the values of `attributes`, in order, compared as exact text; else empty.
 */
export function customAttributeValue(spec: CustomAttribute, values: TemplateValues): string {
  const actual = spec.attributes.map((name) => {
    const v = Object.hasOwn(values, name) ? values[name] : undefined;
    return v === null || v === undefined ? '' : String(v);
  });
  const rule = spec.rules.find((r) => r.inputs.length === actual.length && r.inputs.every((input, i) => input === actual[i]));
  return rule?.output ?? '';
}
