import type { ConversionAdapter } from './adapter.types';
import { GenericAdapter } from './generic.adapter';
import { PixelAdapter } from './pixel.adapter';
import { TrackdeskAdapter } from './trackdesk.adapter';
import { TradedoublerAdapter } from './tradedoubler.adapter';
import { TradetrackerAdapter } from './tradetracker.adapter';
import { UploadAdapter } from './upload.adapter';

export type AdapterName = 'generic' | 'pixel' | 'trackdesk' | 'tradedoubler' | 'tradetracker' | 'upload';

/** One adapter per intake endpoint (SPEC §6), and one for the rows of an upload (SPEC §3). Adapters are stateless, so one instance each. */
export const ADAPTERS: Readonly<Record<AdapterName, ConversionAdapter>> = Object.freeze({
  generic: new GenericAdapter(),
  pixel: new PixelAdapter(),
  trackdesk: new TrackdeskAdapter(),
  tradedoubler: new TradedoublerAdapter(),
  tradetracker: new TradetrackerAdapter(),
  upload: new UploadAdapter(),
});

export function adapterFor(name: AdapterName): ConversionAdapter {
  return ADAPTERS[name];
}
