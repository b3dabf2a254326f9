import { HttpStatus, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { keyIdOf, newDataKey, unwrapDataKey, wrapDataKey } from './testimony-cipher';

/** A testimony's data key, and the same key wrapped for storage. */
export interface DataKey {
  key: Buffer;
  wrapped: string;
  keyId: string;
}

/** TESTIMONY_KEY, from the validated configuration: it wraps and unwraps the testimonies' data keys. */
@Injectable()
export class TestimonyKeys {
  private readonly master: Buffer | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.master = config.testimony.key;
  }

  get configured(): boolean {
    return this.master !== null;
  }

  newDataKey(): DataKey {
    const master = this.require();
    const key = newDataKey();
    return { key, wrapped: wrapDataKey(master, key), keyId: keyIdOf(master) };
  }

  /** The data key of a stored testimony; fails (503) when the configured key is not the one that wrapped it. */
  unwrap(wrapped: string, keyId: string | null): Buffer {
    const master = this.require();
    if (keyId !== keyIdOf(master)) throw unavailable('this testimony was sealed with another TESTIMONY_KEY: finish the key rotation (npm run cli -- intake rotate-key)');
    return unwrapDataKey(master, wrapped);
  }

  private require(): Buffer {
    if (!this.master) throw unavailable('TESTIMONY_KEY is not configured on this server');
    return this.master;
  }
}

function unavailable(message: string): ServiceUnavailableException {
  return new ServiceUnavailableException({ statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: 'Service Unavailable', message: `Testimony intake: ${message}` });
}
