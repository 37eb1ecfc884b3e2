import { isbot } from 'isbot';
import { LRUCache } from 'lru-cache';
import UAParser = require('ua-parser-js');

export interface ParsedUserAgent {
  agent: { family: string; major: string | null; minor: string | null; patch: string | null };
  os: { family: string; major: string | null; minor: string | null; patch: string | null; patchMinor: string | null };
  device: { family: string; brand: string | null; model: string | null };
  mobile: boolean;
  bot: boolean;
  /** The kind of device (SPEC §3 rule `deviceType`): ua-parser-js's type, `desktop` when it names none. */
  deviceType: DeviceKind;
}

export type DeviceKind = 'desktop' | 'mobile' | 'tablet' | 'smarttv' | 'console' | 'wearable';
const DEVICE_KINDS: Readonly<Record<string, DeviceKind>> = {
  mobile: 'mobile',
  tablet: 'tablet',
  smarttv: 'smarttv',
  console: 'console',
  wearable: 'wearable',
  xr: 'wearable',
};

/** Longer user agents are cut here: the tail never changes the answer, and regexes on 10 KB hurt. */
export const MAX_UA_LENGTH = 512;
const CACHE_ENTRIES = 10_000;
const MOBILE_OS = new Set(['iOS', 'Android']);

/** Version text split into at most `n` dot-separated parts, null where missing. */
function versionParts(version: string | undefined, n: number): (string | null)[] {
  const parts = version ? version.split('.') : [];
  return Array.from({ length: n }, (_, i) => parts[i] || null);
}

function deepFreeze(p: ParsedUserAgent): ParsedUserAgent {
  Object.freeze(p.agent);
  Object.freeze(p.os);
  Object.freeze(p.device);
  return Object.freeze(p);
}

/**
 * Parses user agents with ua-parser-js into the uap-core shaped record that analysts expect.
 * Results are shared from an LRU cache (most traffic repeats a few agents), so they are frozen.
 */
export class UserAgentParser {
  private readonly cache = new LRUCache<string, ParsedUserAgent>({ max: CACHE_ENTRIES });
  private readonly parser = new UAParser();

  parse(ua: string | undefined | null): ParsedUserAgent {
    const key = (ua ?? '').slice(0, MAX_UA_LENGTH);
    let parsed = this.cache.get(key);
    if (!parsed) {
      parsed = deepFreeze(this.compute(key));
      this.cache.set(key, parsed);
    }
    return parsed;
  }

  private compute(ua: string): ParsedUserAgent {
    const { browser, os, device } = this.parser.setUA(ua).getResult();
    const [major, minor, patch] = versionParts(browser.version, 3);
    const [osMajor, osMinor, osPatch, osPatchMinor] = versionParts(os.version, 4);
    // ua-parser-js names the maker of desktops too (Apple for any Mac); uap-core, whose shape we
    // follow, only describes a device when it is a phone, tablet, TV and the like.
    const hasDevice = device.type !== undefined;
    const brand = hasDevice ? (device.vendor ?? null) : null;
    const model = hasDevice ? (device.model ?? null) : null;
    return {
      agent: { family: browser.name ?? 'Other', major: browser.major ?? major, minor, patch },
      os: { family: os.name ?? 'Other', major: osMajor, minor: osMinor, patch: osPatch, patchMinor: osPatchMinor },
      device: { family: deviceFamily(brand, model), brand, model },
      mobile: device.type === 'mobile' || device.type === 'tablet' || (!hasDevice && MOBILE_OS.has(os.name ?? '')),
      bot: isbot(ua),
      // An Android or iOS agent that names no device is a phone, as for `mobile`.
      deviceType: DEVICE_KINDS[device.type ?? ''] ?? (!hasDevice && MOBILE_OS.has(os.name ?? '') ? 'mobile' : 'desktop'),
    };
  }
}

/** uap-core style: `iPhone`, `Samsung SM-S908B`, `Other`. */
function deviceFamily(brand: string | null, model: string | null): string {
  if (!model) return brand ?? 'Other';
  return brand && brand !== 'Apple' && !model.startsWith(brand) ? `${brand} ${model}` : model;
}
