// One complete simulated handset, assembled: firmware, simulated parts, its own SimModem on the network
// (firmware and modem joined by an in-memory serial line, AT through protocol/at) and the USB console.
// The simulator's runner and the tests build handsets with this; each part stays reachable for faults
// (flash corruption, battery level, route, button presses, modem hang).

import type { Clock } from '../../protocol/time/clock.js';
import type { Random } from '../../protocol/time/random.js';
import { SimGps, type SimGpsOptions } from '../gps/gps.js';
import type { RouteSpec } from '../gps/route.js';
import { SimModem } from '../modem/index.js';
import type { SimNetwork } from '../network/index.js';
import { ProvisioningConsole } from '../provisioning/console.js';
import { createPipePair } from '../transport/memory-pipe.js';
import { AtHandsetModem } from './at-modem.js';
import { SimAudio } from './audio.js';
import { SimBattery } from './battery.js';
import { SimButton } from './button.js';
import { DEFAULT_CONFIG, type HandsetConfig } from './config.js';
import { Firmware, type FirmwareOptions, type HandsetIdentity } from './firmware.js';
import { HandsetFlash } from './flash.js';
import { MemoryFlashDevice, type FlashDevice } from './flash-device.js';
import { RecordingIndicator } from './indicator.js';

/** How to build a simulated handset. */
export interface SimHandsetOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly network: SimNetwork;
  /** The handset SIM's number. */
  readonly msisdn: string;
  readonly identity: HandsetIdentity;
  /** Factory configuration (must carry the fleet's public key for USB provisioning to work). */
  readonly factory?: HandsetConfig;
  /**
   * Provisioned at manufacture (the simulator's manifest): committed to flash before boot. Omit for a blank
   * handset that an engineer provisions over USB.
   */
  readonly provision?: { readonly config: Partial<HandsetConfig>; readonly key: Uint8Array };
  /** An existing flash chip (a reboot keeps it; FileFlashDevice keeps it across runs); default a new blank one. */
  readonly flash?: FlashDevice;
  readonly route?: RouteSpec;
  readonly gps?: SimGpsOptions;
  readonly batteryPercent?: number;
  readonly firmware?: Omit<FirmwareOptions, 'identity' | 'factory'>;
}

/** A complete simulated handset (see the file comment). */
export class SimHandset {
  readonly firmware: Firmware;
  readonly modem: SimModem;
  readonly atModem: AtHandsetModem;
  readonly gps: SimGps;
  readonly button: SimButton;
  readonly battery: SimBattery;
  readonly indicator = new RecordingIndicator();
  readonly audio = new SimAudio();
  readonly flash: FlashDevice;
  /** The handset's USB serial: attach a TCP client or a pipe end to it. */
  readonly usb: ProvisioningConsole;

  constructor(readonly options: SimHandsetOptions) {
    const { clock, random } = options;
    const factory = options.factory ?? DEFAULT_CONFIG;
    this.flash = options.flash ?? new MemoryFlashDevice();
    if (options.provision !== undefined) {
      new HandsetFlash(this.flash, factory).commit({ config: { ...factory, ...options.provision.config }, key: options.provision.key });
    }
    this.battery = new SimBattery(clock, options.batteryPercent ?? 100);
    // The modem's AT+CBC reads the handset's own battery.
    const battery = this.battery;
    this.modem = new SimModem({
      clock,
      network: options.network,
      msisdn: options.msisdn,
      identity: { imei: options.identity.imei },
      battery: () => ({ percent: battery.percent(), charging: false }),
    });
    const [modemSide, firmwareSide] = createPipePair();
    this.modem.connect(modemSide);
    this.atModem = new AtHandsetModem(firmwareSide, clock);
    this.gps = new SimGps(clock, random, options.gps);
    if (options.route !== undefined) this.gps.setRoute(options.route);
    const c = new HandsetFlash(this.flash, factory).settings.config;
    this.button = new SimButton(clock, { gesture: c.gesture, holdMs: c.holdMs, presses: c.presses, pressWindowMs: c.pressWindowMs });
    this.firmware = new Firmware(
      { clock, flash: this.flash, button: this.button, gps: this.gps, battery: this.battery, modem: this.atModem, indicator: this.indicator, audio: this.audio },
      { ...options.firmware, identity: options.identity, factory },
    );
    this.usb = new ProvisioningConsole(this.firmware, { clock });
  }

  /** Powers the handset up (modem start-up, BOT). */
  boot(): Promise<void> {
    return this.firmware.boot();
  }

  /** The emulator's gestures: `hold` keeps the button down 2.5 s, `tap` is one 150 ms press. */
  gesture(kind: 'hold' | 'tap'): void {
    this.button.hold(kind === 'hold' ? Math.max(2500, this.firmware.config.holdMs + 500) : 150);
  }
}
