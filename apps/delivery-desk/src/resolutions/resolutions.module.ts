import { Module } from '@nestjs/common';
import { LedgerService } from './ledger/ledger.service';
import { SagaRunner } from './saga/saga-runner.service';
import { StepRegistry } from './saga/step-registry.service';

/**
 * Resolutions: the action runner (sagas of registered steps on the job queue) and the compensation
 * ledger. Playbooks import this module, register their steps with {@link StepRegistry} and ask
 * {@link SagaRunner} for resolutions; their local steps write to {@link LedgerService}.
 */
@Module({
  providers: [StepRegistry, SagaRunner, LedgerService],
  exports: [StepRegistry, SagaRunner, LedgerService],
})
export class ResolutionsModule {}
