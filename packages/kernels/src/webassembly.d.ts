// The WebAssembly JS API types this package uses. TypeScript puts them in lib "dom" only, and
// @types/node 20 has none; index.ts references this file so programs importing the package see it.
// The shapes follow lib.dom.d.ts so the declarations merge if that lib is present too.
declare namespace WebAssembly {
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  interface Memory {
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  var Memory: {
    prototype: Memory;
    new (descriptor: MemoryDescriptor): Memory;
  };
  interface Module {}
  type ImportExportKind = "function" | "global" | "memory" | "table";
  interface ModuleImportDescriptor {
    kind: ImportExportKind;
    module: string;
    name: string;
  }
  var Module: {
    prototype: Module;
    new (bytes: ArrayBufferView | ArrayBuffer): Module;
    imports(moduleObject: Module): ModuleImportDescriptor[];
  };
  type ImportValue = Global | Memory | Function | number;
  type Imports = Record<string, Record<string, ImportValue>>;
  type Exports = Record<string, Function | Global | Memory>;
  interface Instance {
    readonly exports: Exports;
  }
  var Instance: {
    prototype: Instance;
    new (module: Module, importObject?: Imports): Instance;
  };
  interface Global {
    value: any;
    valueOf(): any;
  }
  var Global: {
    prototype: Global;
    new (descriptor: { value: "i32" | "i64" | "f32" | "f64"; mutable?: boolean }, v?: any): Global;
  };
  function compile(bytes: ArrayBufferView | ArrayBuffer): Promise<Module>;
}
