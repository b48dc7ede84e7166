// Types for @serialport/binding-mock 10.2.2 under NodeNext. Its package.json `exports` has no "types"
// condition, so TypeScript finds the ESM build (dist/index-esm.mjs) without declarations (TS7016). These are
// the package's own declarations (dist/index.d.ts, for the CommonJS entry; same API), repeated for the ESM one.
declare module '@serialport/binding-mock' {
  import type { BindingInterface, BindingPortInterface, OpenOptions, PortInfo, PortStatus, SetOptions, UpdateOptions } from '@serialport/bindings-interface' with { 'resolution-mode': 'require' };

  export class CanceledError extends Error {
      canceled: true;
      constructor(message: string);
  }

  export interface CreatePortOptions {
      echo?: boolean;
      record?: boolean;
      readyData?: Buffer;
      maxReadSize?: number;
      manufacturer?: string;
      vendorId?: string;
      productId?: string;
  }

  export const MockBinding: MockBindingInterface;

  export interface MockBindingInterface extends BindingInterface<MockPortBinding> {
      reset(): void;
      createPort(path: string, opt?: CreatePortOptions): void;
  }

  /**
   * Mock bindings for pretend serialport access
   */
  export class MockPortBinding implements BindingPortInterface {
      readonly openOptions: Required<OpenOptions>;
      readonly port: MockPortInternal;
      private pendingRead;
      lastWrite: null | Buffer;
      recording: Buffer;
      writeOperation: null | Promise<void>;
      isOpen: boolean;
      serialNumber?: string;
      constructor(port: MockPortInternal, openOptions: Required<OpenOptions>);
      emitData(data: Buffer | string): void;
      close(): Promise<void>;
      read(buffer: Buffer, offset: number, length: number): Promise<{
          buffer: Buffer;
          bytesRead: number;
      }>;
      write(buffer: Buffer): Promise<void>;
      update(options: UpdateOptions): Promise<void>;
      set(options: SetOptions): Promise<void>;
      get(): Promise<PortStatus>;
      getBaudRate(): Promise<{
          baudRate: number;
      }>;
      flush(): Promise<void>;
      drain(): Promise<void>;
  }

  export interface MockPortInternal {
      data: Buffer;
      echo: boolean;
      record: boolean;
      info: PortInfo;
      maxReadSize: number;
      readyData?: Buffer;
      openOpt?: OpenOptions;
  }
}
