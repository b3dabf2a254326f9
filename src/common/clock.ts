import { Injectable } from '@nestjs/common';

/** Every "now" in the service comes from here, so tests can move time deliberately. */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
