const SLOT = Symbol('lazy fields');

interface Field {
  compute: (() => unknown) | undefined;
  value: unknown;
}

interface Holder {
  [SLOT]: Record<PropertyKey, Field>;
}

/**
 * `target` with `fields` added as properties computed on their first read, then kept (an
 * assignment first skips the computation). They are own, enumerable and writable, so
 * readers, spreading, JSON and deep equality see plain fields.
 *
 * The accessors are shared by every object given the same fields, so such objects share
 * one hidden class: a getter made per object would give each its own, at kilobytes an
 * object and slow reads everywhere it goes.
 */
export function withLazyFields<T extends object, F extends object>(target: T, fields: { [K in keyof F]: () => F[K] }): T & F {
  const slot: Record<PropertyKey, Field> = {};
  for (const [key, compute] of Object.entries(fields) as [string, () => unknown][]) slot[key] = { compute, value: undefined };
  Object.defineProperty(target, SLOT, { value: slot });
  for (const key of Object.keys(fields)) Object.defineProperty(target, key, accessor(key));
  return target as T & F;
}

const accessors = new Map<string, PropertyDescriptor>();

function accessor(key: string): PropertyDescriptor {
  let descriptor = accessors.get(key);
  if (!descriptor) {
    const field = (holder: Holder): Field => holder[SLOT][key] as Field;
    descriptor = {
      get(this: Holder) {
        const lazy = field(this);
        if (lazy.compute) {
          lazy.value = lazy.compute();
          lazy.compute = undefined;
        }
        return lazy.value;
      },
      set(this: Holder, value: unknown) {
        const lazy = field(this);
        lazy.compute = undefined;
        lazy.value = value;
      },
      enumerable: true,
      configurable: true,
    };
    accessors.set(key, descriptor);
  }
  return descriptor;
}
