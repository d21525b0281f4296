import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { formatMoney, streams, transferPriceDecider } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { SetTransferPriceCommand, type SetTransferPriceResult } from './set-transfer-price.command';

@CommandHandler(SetTransferPriceCommand)
export class SetTransferPriceHandler implements ICommandHandler<
  SetTransferPriceCommand,
  SetTransferPriceResult
> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(command: SetTransferPriceCommand): Promise<SetTransferPriceResult> {
    const result = await this.executor.execute({
      streamId: streams.transferPrice(),
      decider: transferPriceDecider,
      context: command.context,
      command: (_state, metadata) => ({
        type: 'SetTransferPrice' as const,
        data: { pricePerGb: command.pricePerGb },
        metadata,
      }),
    });
    return { pricePerGb: formatMoney(result.state.pricePerGb), position: result.position };
  }
}
