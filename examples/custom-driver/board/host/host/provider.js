// embedded:provider/builtin for the DevKitC + PIR board of examples/custom-driver (pins from ../../board.ts).
/*
 * Serial.default is UART0 on TX 1 / RX 3 (the USB bridge: the console). SPI.default is VSPI
 * (SPI3_HOST = 2) on its IO_MUX pins; the W25Q's CS is GPIO5. The PIR output is GPIO27.
 */
import Digital from "embedded:io/digital";
import Serial from "embedded:io/serial";
import SPI from "embedded:io/spi";

const device = {
	Serial: {
		default: { io: Serial, port: 0, transmit: 1, receive: 3 }
	},
	SPI: {
		default: { io: SPI, clock: 18, in: 19, out: 23, port: 2 }
	},
	io: { Digital, Serial, SPI },
	pin: {
		pir: 27,
		led: 2,
		flashSelect: 5
	}
};

export default device;
