
// ---- Appended to the wasm-bindgen glue by scripts/build.sh ----
// Every method and accessor of the exported classes checks its receiver first: called on
// another class's object, on a forged one or after free(), it throws a clear Error instead of
// handing Rust a wrong pointer (which could trap the instance or read garbage).
function guardReceivers(classes) {
  for (const [cls, registry] of classes) {
    const genuine = new WeakSet();
    const register = registry.register.bind(registry);
    // Every object the constructor makes passes through its finalization registry.
    registry.register = (object, ...rest) => {
      genuine.add(object);
      return register(object, ...rest);
    };
    const check = (self, key) => {
      if (!genuine.has(self)) throw new TypeError(`${cls.name}.${key} must be called on a ${cls.name} made with new ${cls.name}(…)`);
      if (!self.__wbg_ptr) throw new Error(`this ${cls.name} has been freed (free() was called); make a new one`);
    };
    const proto = cls.prototype;
    for (const key of Reflect.ownKeys(proto)) {
      if (key === "constructor" || (typeof key === "string" && key.startsWith("__"))) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      if (key === "free" || key === Symbol.dispose) {
        const free = descriptor.value;
        descriptor.value = function () {
          if (genuine.has(this) && this.__wbg_ptr) free.call(this);
        };
      } else {
        for (const part of ["value", "get", "set"]) {
          const original = descriptor[part];
          if (typeof original !== "function") continue;
          descriptor[part] = function (...args) {
            check(this, String(key));
            return original.apply(this, args);
          };
        }
      }
      Object.defineProperty(proto, key, descriptor);
    }
  }
  // Objects passed as arguments (a TrainingLab to an explorer) get the same checks.
  _assertClass = function (instance, klass) {
    if (!(instance instanceof klass) || !instance.__wbg_ptr) {
      throw new Error(`expected a live ${klass.name} (made with new ${klass.name}(…) and not freed)`);
    }
  };
}
