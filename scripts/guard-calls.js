
// ---- Appended to the wasm-bindgen glue by scripts/build.sh ----
// Two checks on every way into the module, so that no caller can trap the instance:
//  - Receivers: every method and accessor checks `this` first; called on another class's
//    object, on a forged one or after free(), it throws a clear Error instead of handing Rust
//    a wrong pointer (which could trap the instance or read garbage).
//  - One call at a time: while a call runs, reading its arguments may run the caller's code
//    (a valueOf, a getter, a Proxy trap). If that code freed an object, its memory could be
//    handed to a new one under the pointer the running call already holds; if it called in
//    again, it would find objects borrowed. So while a call runs, any other call, constructor
//    or free() throws an Error that says so; the running call then fails with that Error
//    before anything has changed.

/** The call in progress ("TrainingLab.setHidden"), or null. */
let callInProgress = null;

function refuseNested(name) {
  if (callInProgress !== null) {
    throw new Error(`${name} was called while ${callInProgress} was still reading its arguments `
      + `(a valueOf, getter or Proxy of an argument called back into Backprop Lab); `
      + `call it after ${callInProgress} has returned`);
  }
}

/** `run` applied to `self` and `args` as the one call in progress, named `name`. (Callers pass
 * their `arguments` on instead of collecting rest parameters: a training step through the API
 * pays for no allocation here.) */
function exclusive(name, run, self, args) {
  refuseNested(name);
  callInProgress = name;
  try {
    return run.apply(self, args);
  } finally {
    callInProgress = null;
  }
}

/** A function of the module that runs as the one call in progress. */
function guardFunction(name, original) {
  return function () {
    return exclusive(name, original, this, arguments);
  };
}

/** Each guarded class's name (the bundle shortens the classes' own names). */
const classNames = new WeakMap();
/** Every object a guarded constructor made, with its class's name: only these are passed to
 * Rust as arguments (an object made with Object.create(TrainingLab.prototype) is not one). */
const madeBy = new WeakMap();

/**
 * Makes `object.__wbg_ptr` (the Rust pointer the glue reads on every call) read-only but for
 * the glue's own reset to 0 on free(): a caller who writes another object's pointer, a freed
 * one or a number there would hand Rust memory that is not this object's.
 */
function sealPointer(object) {
  let pointer = object.__wbg_ptr;
  Object.defineProperty(object, "__wbg_ptr", {
    get: () => pointer,
    set: (value) => {
      if (value !== 0) throw new TypeError("__wbg_ptr belongs to Backprop Lab and cannot be set");
      pointer = 0; // free(): the glue lets go of the object
    },
    enumerable: true,
    configurable: false,
  });
}

/**
 * The class `name` with receiver checks on its methods, returned wrapped so that `new` is
 * exclusive too.
 */
function guardClass(name, cls, registry) {
  const genuine = (object) => madeBy.get(object) === name;
  const register = registry.register.bind(registry);
  // Every object the constructor makes passes through its finalization registry.
  registry.register = (object, ...rest) => {
    madeBy.set(object, name);
    sealPointer(object);
    return register(object, ...rest);
  };
  const check = (self, call) => {
    if (!genuine(self)) throw new TypeError(`${call} must be called on a ${name} made with new ${name}(…)`);
    if (!self.__wbg_ptr) throw new Error(`this ${name} has been freed (free() was called); make a new one`);
  };
  const proto = cls.prototype;
  for (const key of Reflect.ownKeys(proto)) {
    if (key === "constructor" || (typeof key === "string" && key.startsWith("__"))) continue;
    const descriptor = Object.getOwnPropertyDescriptor(proto, key);
    const call = `${name}.${String(key)}`;
    if (key === "free" || key === Symbol.dispose) {
      const free = descriptor.value;
      descriptor.value = function () {
        refuseNested(call);
        if (genuine(this) && this.__wbg_ptr) free.call(this);
      };
    } else {
      for (const part of ["value", "get", "set"]) {
        const original = descriptor[part];
        if (typeof original !== "function") continue;
        descriptor[part] = function () {
          check(this, call);
          return exclusive(call, original, this, arguments);
        };
      }
    }
    Object.defineProperty(proto, key, descriptor);
  }
  for (const key of Reflect.ownKeys(cls)) {
    if (typeof key !== "string" || key.startsWith("__") || typeof cls[key] !== "function") continue;
    if (key === "prototype" || key === "name" || key === "length") continue;
    cls[key] = guardFunction(`${name}.${key}`, cls[key]);
  }
  const guarded = new Proxy(cls, {
    construct(target, args, newTarget) {
      return exclusive(`new ${name}`, Reflect.construct, Reflect, [target, args, newTarget]);
    },
  });
  classNames.set(guarded, name);
  return guarded;
}

// Objects passed as arguments (a TrainingLab to an explorer) get the receiver checks too.
_assertClass = function (instance, klass) {
  const name = classNames.get(klass) ?? klass.name;
  if (madeBy.get(instance) !== name || !instance.__wbg_ptr) {
    throw new Error(`expected a live ${name} (made with new ${name}(…) and not freed)`);
  }
};
