import { Injectable } from '@nestjs/common';
import { MAX_ATTEMPTS_CEILING, SagaStep } from './saga-step';

const STEP_NAME = /^[a-z][a-z0-9-]{0,63}$/;

/**
 * The steps the runner knows, by name. Playbooks register theirs once (in `onModuleInit`); a
 * resolution's plan then names them. A plan stored in the database outlives a deploy, so keep a
 * step's name and input shape stable once released (add a new name for a new behaviour).
 *
 * @example
 * @Injectable()
 * export class DnrPlaybook implements OnModuleInit {
 *   constructor(private readonly steps: StepRegistry, private readonly ledger: LedgerService) {}
 *   onModuleInit() {
 *     this.steps.register(reserveRefund(this.ledger));
 *   }
 * }
 */
@Injectable()
export class StepRegistry {
  private readonly steps = new Map<string, SagaStep>();

  register(...steps: SagaStep[]): void {
    for (const step of steps) {
      if (!STEP_NAME.test(step.name)) throw new Error(`Saga step name ${JSON.stringify(step.name)} must be kebab-case, at most 64 characters`);
      if (this.steps.has(step.name) && this.steps.get(step.name) !== step) throw new Error(`Saga step ${step.name} is registered twice`);
      for (const limit of [step.maxAttempts, step.maxCompensationAttempts]) {
        if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_ATTEMPTS_CEILING)) {
          throw new Error(`Saga step ${step.name}: attempts must be between 1 and ${MAX_ATTEMPTS_CEILING}`);
        }
      }
      this.steps.set(step.name, step);
    }
  }

  get(name: string): SagaStep | undefined {
    return this.steps.get(name);
  }

  has(name: string): boolean {
    return this.steps.has(name);
  }
}
