import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsService } from '../../health/metrics/metrics.service';

/** Console figures on the API's /metrics: sessions, how they ended, and how often backpressure engaged. */
@Injectable()
export class ConsoleMetrics {
  readonly sessions: Gauge;
  readonly closes: Counter<'code'>;
  readonly outputPauses: Counter;
  readonly inputPauses: Counter;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.sessions = new Gauge({
      name: 'stratus_console_sessions',
      help: 'Console sessions being set up or open in this API instance',
      registers,
    });
    this.closes = new Counter({
      name: 'stratus_console_closes_total',
      help: 'Console WebSockets closed, by close code (1000 normal, 44xx refusals, 4495 host key changed...)',
      labelNames: ['code'],
      registers,
    });
    this.outputPauses = new Counter({
      name: 'stratus_console_output_pauses_total',
      help: 'Times a shell’s output was paused because the browser was not reading fast enough',
      registers,
    });
    this.inputPauses = new Counter({
      name: 'stratus_console_input_pauses_total',
      help: 'Times the browser’s input was paused because the SSH channel was full',
      registers,
    });
  }
}
