// embedded:provider/builtin for Moddable Two as quiesce wires it (pins from Moddable SDK 8.2.3 build/devices/esp32/targets/moddable_two and boards/moddable-two/board.ts).
/*
 * Same pins as the SDK's moddable_two provider except Serial.default: UART0 (not the SDK's UART1)
 * on TX 1 / RX 3, because ESP32 light sleep wakes on UART0 only through its IO_MUX RX pad GPIO3.
 * No Touch/Backlight peripherals here: drivers/ft6206 and drivers/backlight own those pins.
 */
import Digital from "embedded:io/digital";
import DigitalBank from "embedded:io/digitalbank";
import I2C from "embedded:io/i2c";
import SMBus from "embedded:io/smbus";
import PWM from "embedded:io/pwm";
import Serial from "embedded:io/serial";
import SPI from "embedded:io/spi";

const device = {
	I2C: {
		default: { io: I2C, data: 21, clock: 22, port: 0 }
	},
	Serial: {
		default: { io: Serial, port: 0, transmit: 1, receive: 3 }
	},
	SPI: {
		default: { io: SPI, clock: 14, in: 12, out: 13, port: 1 }
	},
	io: { Digital, DigitalBank, I2C, PWM, Serial, SMBus, SPI },
	pin: {
		button: 0,
		backlight: 18,
		displayDC: 2,
		displaySelect: 15,
		touchInterrupt: 38
	}
};

export default device;
