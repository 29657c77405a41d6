// Vocabulary of a plausible hobby-electronics inventory, shared by the demo seed (a few
// hundred parts through the services) and the bench seed (bulk SQL, 100k parts).

/** A product family: one manufacturer code stem and what it is. */
export interface Family {
  type: string;
  code: string;
  description: string;
  manufacturer: string;
  /** Which value list varies the family: resistances, capacitances or anything else. */
  values: "resistance" | "capacitance" | "other";
}

const family = (
  type: string,
  code: string,
  description: string,
  manufacturer: string,
  values: Family["values"] = "other",
): Family => ({ type, code, description, manufacturer, values });

export const families: Family[] = [
  family("Relay", "G5Q-1A4", "Relay 5 V SPST 5 A", "OMRON"),
  family("Relay", "G5LE-1", "Relay 12 V SPDT 10 A", "OMRON"),
  family("Relay", "SRD-05VDC-SL-C", "Relay coil 5 V SPDT 10 A", "Songle"),
  family("Relay", "HF46F-5-HS1", "Miniature power relay", "Hongfa"),
  family("Relay", "TQ2-5V", "Signal relay DPDT", "Panasonic"),
  family("Power Module", "LM2596S", "Buck converter module adjustable", "Texas Instruments"),
  family("Power Module", "MP1584EN", "Mini step-down converter", "MPS"),
  family("Power Module", "XL6009", "Boost converter module", "XLSEMI"),
  family("Power Module", "TP4056", "Lithium battery charger module", "Top Power"),
  family("Power Module", "HLK-PM01", "AC-DC power supply 5 V 3 W", "Hi-Link"),
  family("Sensor", "BME280", "Humidity pressure temperature sensor", "Bosch"),
  family("Sensor", "DS18B20", "Digital temperature sensor one-wire", "Maxim"),
  family("Sensor", "MPU-6050", "Accelerometer gyroscope 6-axis", "InvenSense"),
  family("Sensor", "HC-SR04", "Ultrasonic distance sensor", "Elecfreaks"),
  family("Sensor", "BH1750", "Ambient light sensor", "Rohm"),
  family("Sensor", "INA219", "Current monitor high-side", "Texas Instruments"),
  family("Connector", "B2B-XH-A", "JST XH header 2.54 mm", "JST"),
  family("Connector", "PHR-2", "JST PH housing 2.0 mm", "JST"),
  family("Connector", "DF13-2P", "Wire-to-board connector 1.25 mm", "Hirose"),
  family("Connector", "USB4105-GF-A", "USB Type-C receptacle", "GCT"),
  family("Connector", "KF301-2P", "Screw terminal block 5.08 mm", "Cixi Kefa"),
  family("Connector", "PJ-002A", "DC barrel jack 5.5x2.1 mm", "CUI"),
  family("LED", "WS2812B", "Addressable RGB LED", "Worldsemi"),
  family("LED", "LTST-C150GKT", "LED green", "Lite-On"),
  family("LED", "L-53HD", "LED red 5 mm diffused", "Kingbright"),
  family("LED", "SK6812", "RGBW LED addressable", "Opsco"),
  family("Resistor", "RC0603FR-07", "Resistor thick film 1%", "Yageo", "resistance"),
  family("Resistor", "CRCW0805", "Resistor thick film automotive", "Vishay", "resistance"),
  family("Resistor", "MFR-25FBF52", "Resistor metal film 1/4 W", "Yageo", "resistance"),
  family("Resistor", "ERJ-3EKF", "Resistor precision 1%", "Panasonic", "resistance"),
  family("Resistor", "CF14JT", "Resistor carbon film 5%", "Stackpole", "resistance"),
  family("Capacitor", "CL10B", "Capacitor ceramic X7R", "Samsung", "capacitance"),
  family("Capacitor", "GRM188R71", "Capacitor MLCC", "Murata", "capacitance"),
  family("Capacitor", "EEU-FR1", "Capacitor electrolytic low ESR", "Panasonic", "capacitance"),
  family("Capacitor", "T491A", "Capacitor tantalum", "Kemet", "capacitance"),
  family("Capacitor", "ECQ-E", "Capacitor film polyester", "Panasonic", "capacitance"),
  family("IC", "NE555", "Timer single precision", "Texas Instruments"),
  family("IC", "LM7805", "Voltage regulator 5 V 1.5 A", "STMicroelectronics"),
  family("IC", "LM358", "Dual operational amplifier", "Texas Instruments"),
  family("IC", "74HC595", "Shift register 8-bit serial to parallel", "Nexperia"),
  family("IC", "ULN2003A", "Darlington transistor array", "Texas Instruments"),
  family("IC", "AMS1117-3.3", "LDO regulator 3.3 V", "Advanced Monolithic"),
  family("IC", "CH340G", "USB to serial converter", "WCH"),
  family("IC", "MAX232", "RS-232 line driver", "Maxim"),
  family("Microcontroller", "ATMEGA328P", "Microcontroller 8-bit AVR 32 KB flash", "Microchip"),
  family("Microcontroller", "STM32F103C8T6", "Microcontroller ARM Cortex-M3", "STMicroelectronics"),
  family("Microcontroller", "ESP32-WROOM-32", "WiFi Bluetooth module dual core", "Espressif"),
  family("Microcontroller", "RP2040", "Microcontroller dual Cortex-M0+", "Raspberry Pi"),
  family("Microcontroller", "ATTINY85", "Microcontroller 8-bit AVR 8 KB", "Microchip"),
  family("Cable", "DUPONT-MM", "Jumper wire male to male", "Generic"),
  family("Cable", "USB-A-MICRO", "USB cable micro-B", "Anker"),
  family("Cable", "RIBBON-10P", "Flat ribbon cable 10 way", "3M"),
  family("Cable", "SILICONE-22AWG", "Silicone wire 22 AWG", "Generic"),
  family("Mechanical", "DIN912-M3X10", "Socket head screw M3", "Würth"),
  family("Mechanical", "DIN934-M3", "Hex nut M3 stainless", "Würth"),
  family("Mechanical", "SPACER-M3-10", "Standoff brass M3 10 mm", "Ettinger"),
  family("Mechanical", "SK-104-TO220", "Heatsink for TO-220", "Fischer Elektronik"),
];

const E12 = [1, 1.2, 1.5, 1.8, 2.2, 2.7, 3.3, 3.9, 4.7, 5.6, 6.8, 8.2];

/** Resistance as printed on a tape label: 4R7, 470R, 4.7k, 1M. */
function ohms(value: number): string {
  if (value >= 1_000_000) return `${value / 1_000_000}M`;
  if (value >= 1000) return `${value / 1000}k`;
  return Number.isInteger(value) ? `${value}R` : String(value).replace(".", "R");
}

/** The E12 series over six decades, and 1M. */
export const resistances = [
  ...[1, 10, 100, 1000, 10_000, 100_000].flatMap((decade) =>
    E12.map((mantissa) => ohms(Math.round(mantissa * decade * 10) / 10)),
  ),
  ohms(1_000_000),
];

export const capacitances = [
  "10pF",
  "22pF",
  "100pF",
  "1nF",
  "10nF",
  "100nF",
  "1uF",
  "4.7uF",
  "10uF",
  "22uF",
  "47uF",
  "100uF",
  "470uF",
  "1000uF",
];

export const otherValues = ["3.3V", "5V", "12V", "24V", "2 pin", "4 pin", "8 pin", "kit of 10"];

export const packages = [
  "0402",
  "0603",
  "0805",
  "1206",
  "SOT-23",
  "SOIC-8",
  "DIP-8",
  "TO-220",
  "QFN-32",
  "THT",
];

export const extraWords = [
  "RoHS",
  "spare",
  "salvaged",
  "tape",
  "reel",
  "low noise",
  "automotive",
  "high temp",
  "industrial",
  "sample",
];

export const sellers = [
  { name: "LCSC", link: "https://www.lcsc.com/product-detail/" },
  { name: "Mouser", link: "https://www.mouser.com/ProductDetail/" },
  { name: "DigiKey", link: "https://www.digikey.com/en/products/detail/" },
  { name: "Reichelt", link: "https://www.reichelt.de/" },
  { name: "AliExpress", link: "https://www.aliexpress.com/item/" },
  { name: "TME", link: "https://www.tme.eu/en/details/" },
  { name: "Farnell", link: "https://www.farnell.com/" },
];

export function valuesOf(values: Family["values"]): string[] {
  if (values === "resistance") return resistances;
  if (values === "capacitance") return capacitances;
  return otherValues;
}
