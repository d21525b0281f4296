import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { formatTaxRate, streams, taxRatesDecider } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { SetTaxRatesCommand, type SetTaxRatesResult } from './set-tax-rates.command';

@CommandHandler(SetTaxRatesCommand)
export class SetTaxRatesHandler implements ICommandHandler<SetTaxRatesCommand, SetTaxRatesResult> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(command: SetTaxRatesCommand): Promise<SetTaxRatesResult> {
    const result = await this.executor.execute({
      streamId: streams.taxRates(),
      decider: taxRatesDecider,
      context: command.context,
      command: (_state, metadata) => ({
        type: 'SetTaxRates' as const,
        data: { rates: command.rates.map(({ country, rate }) => ({ country, rate })) },
        metadata,
      }),
    });
    return {
      rates: Object.entries(result.state.rates)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([country, basisPoints]) => ({ country, rate: formatTaxRate(basisPoints) })),
      position: result.position,
    };
  }
}
