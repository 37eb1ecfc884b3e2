import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

export type ChangedResource =
  'campaigns' | 'offers' | 'landing-pages' | 'traffic-sources' | 'affiliate-networks' | 'conversion-types' | 'exchange-rates' | 'subscriptions';

/**
 * In-process notice that a management resource changed, so caches on hot paths (the click
 * route cache, network settings) refresh before the next request. Other processes notice
 * through their own periodic refresh.
 */
@Injectable()
export class ChangeBus {
  private readonly emitter = new EventEmitter();

  emit(resource: ChangedResource): void {
    this.emitter.emit('change', resource);
  }

  onChange(listener: (resource: ChangedResource) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
