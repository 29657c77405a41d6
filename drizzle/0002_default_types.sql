-- A new inventory starts with the categories most hobby parts fall into.
INSERT INTO "types" ("name") VALUES
  ('Relay'), ('Power Module'), ('Sensor'), ('Connector'), ('LED'), ('Resistor'),
  ('Capacitor'), ('IC'), ('Microcontroller'), ('Cable'), ('Mechanical');
