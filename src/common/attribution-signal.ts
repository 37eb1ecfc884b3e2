import { Injectable } from '@nestjs/common';

/**
 * In-process notice that the click writer attributed conversions that were waiting for their
 * click, so the conversions module writes their messages now rather than at its next poll. The
 * duty itself is durable (conversion_attributions, written in the click's transaction); this only
 * shortens the wait. Neither module imports the other.
 */
@Injectable()
export class AttributionSignal {
  private listener: (() => void) | null = null;

  wake(): void {
    this.listener?.();
  }

  onWake(listener: () => void): () => void {
    this.listener = listener;
    return () => {
      if (this.listener === listener) this.listener = null;
    };
  }
}
