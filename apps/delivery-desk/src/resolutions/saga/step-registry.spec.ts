import { SagaStep } from './saga-step';
import { StepRegistry } from './step-registry.service';

const step = (overrides: Partial<SagaStep> = {}): SagaStep => ({ name: 'reserve-refund', mode: 'local', invoke: async () => ({}), ...overrides }) as SagaStep;

describe(StepRegistry.name, () => {
  let sut: StepRegistry;
  beforeEach(() => {
    sut = new StepRegistry();
  });

  it('finds steps by name', () => {
    const s = step();
    sut.register(s);
    expect(sut.get('reserve-refund')).toBe(s);
    expect(sut.has('notify')).toBe(false);
  });

  it('refuses a second step under a taken name, but not the same step again', () => {
    const s = step();
    sut.register(s, s);
    expect(() => sut.register(step())).toThrow('registered twice');
  });

  it.each([['Reserve_Refund'], [''], ['x'.repeat(65)]])('refuses the name %j', (name) => {
    expect(() => sut.register(step({ name }))).toThrow('kebab-case');
  });

  it('refuses attempt limits the queue cannot honour', () => {
    expect(() => sut.register(step({ maxAttempts: 21 }))).toThrow('between 1 and 20');
    expect(() => sut.register(step({ maxCompensationAttempts: 0 }))).toThrow('between 1 and 20');
  });
});
