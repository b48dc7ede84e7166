// Types of scripts/demo-ports.mjs (plain JavaScript: the Makefile runs it before the npm install).

export declare const HTTP_HOST: '127.0.0.1';
export declare const HTTP_PORT: 8080;
export declare const CONTROL_PORT: 8081;
export declare const LINE_PORTS: readonly number[];
export declare const USB_PORTS: readonly number[];

export interface DemoPort {
  readonly port: number;
  readonly what: string;
}

export declare const DEMO_PORTS: readonly DemoPort[];
export declare function portFree(port: number): Promise<boolean>;
export declare function busyPorts(ports?: readonly DemoPort[]): Promise<DemoPort[]>;
/** undefined when every demo port is free; otherwise the text to print instead of starting. */
export declare function refusal(): Promise<string | undefined>;
