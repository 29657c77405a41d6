import ipaddr from "ipaddr.js";

/**
 * Which IP addresses the safe fetcher may connect to: public unicast only. Everything a
 * request forged by a model-proposed URL could use to reach the inside (loopback, private
 * networks, link-local and cloud metadata, CGNAT, multicast, reserved and documentation
 * ranges) is refused, and so is every IPv6 form that carries such an IPv4 address
 * (IPv4-mapped, IPv4-translated, IPv4-compatible, 6to4, NAT64).
 */
export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

/** Instance metadata endpoints (AWS/GCP/Azure/OpenStack, AWS over IPv6, Azure wire server, Alibaba). */
const METADATA_ADDRESSES = [
  "169.254.169.254",
  "fd00:ec2::254",
  "168.63.129.16",
  "100.100.100.200",
].map((text) => ipaddr.parse(text));

const IPV4_REASONS: Record<string, string> = {
  unspecified: "unspecified address",
  broadcast: "broadcast address",
  multicast: "multicast address",
  linkLocal: "link-local address",
  loopback: "loopback address",
  carrierGradeNat: "carrier-grade NAT address",
  private: "private address",
};

const IPV6_REASONS: Record<string, string> = {
  unspecified: "unspecified address",
  loopback: "loopback address",
  linkLocal: "link-local address",
  multicast: "multicast address",
  uniqueLocal: "unique-local address",
  deprecatedSiteLocal: "site-local address",
  teredo: "Teredo address",
  rfc6052: "NAT64 local-use address",
};

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3") as [IPv6, number];
const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96") as [IPv6, number];
const IPV4_COMPATIBLE = ipaddr.parseCIDR("::/96") as [IPv6, number];

const refused = (reason: string): AddressVerdict => ({ allowed: false, reason });

function isMetadata(address: IPv4 | IPv6): boolean {
  return METADATA_ADDRESSES.some(
    (entry) =>
      entry.kind() === address.kind() &&
      entry.toNormalizedString() === address.toNormalizedString(),
  );
}

function classifyV4(address: IPv4): AddressVerdict {
  if (isMetadata(address)) return refused("cloud metadata address");
  const range = address.range();
  if (range === "unicast") return { allowed: true };
  // reserved, documentation (TEST-NET), benchmarking, AS112, AMT and the rest.
  return refused(IPV4_REASONS[range] ?? "reserved address");
}

function embeddedV4(parts: number[], high: number): IPv4 {
  const a = parts[high] ?? 0;
  const b = parts[high + 1] ?? 0;
  return new ipaddr.IPv4([a >> 8, a & 0xff, b >> 8, b & 0xff]);
}

/** An IPv6 form that reaches an IPv4 address is judged by that address. */
function throughV4(form: string, inner: IPv4): AddressVerdict {
  const verdict = classifyV4(inner);
  if (verdict.allowed) return verdict;
  return refused(`${form} of ${inner.toString()} (${verdict.reason})`);
}

function classifyV6(address: IPv6): AddressVerdict {
  if (isMetadata(address)) return refused("cloud metadata address");
  const range = address.range();
  switch (range) {
    case "ipv4Mapped":
      return throughV4("IPv4-mapped address", address.toIPv4Address());
    case "rfc6145":
      return throughV4("IPv4-translated address", embeddedV4(address.parts, 6));
    case "6to4":
      return throughV4("6to4 address", embeddedV4(address.parts, 1));
    case "rfc6052":
      if (address.match(NAT64_WELL_KNOWN)) {
        return throughV4("NAT64 address", embeddedV4(address.parts, 6));
      }
      return refused(IPV6_REASONS[range]!);
    case "unicast":
      // ::a.b.c.d (deprecated IPv4-compatible) and unallocated space outside 2000::/3.
      if (address.match(IPV4_COMPATIBLE)) {
        return refused(`IPv4-compatible address of ${embeddedV4(address.parts, 6).toString()}`);
      }
      if (!address.match(GLOBAL_UNICAST_V6)) return refused("reserved address");
      return { allowed: true };
    default:
      return refused(IPV6_REASONS[range] ?? "reserved address");
  }
}

function canonicalV6(text: string): string | undefined {
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

/** Whether the fetcher may connect to `address` (an IPv4 or IPv6 literal, without brackets). */
export function classifyAddress(address: string): AddressVerdict {
  if (address.includes(":")) {
    if (address.includes("%")) {
      return ipaddr.isValid(address) ? refused("scoped address") : refused("not an IP address");
    }
    // ipaddr.js reads `::a.b.c.d` as IPv4-mapped; the URL parser's spelling has no dots.
    const spelled = canonicalV6(address);
    if (spelled === undefined) return refused("not an IP address");
    address = spelled;
  }
  if (!ipaddr.isValid(address)) return refused("not an IP address");
  const parsed = ipaddr.parse(address);
  return parsed.kind() === "ipv4" ? classifyV4(parsed as IPv4) : classifyV6(parsed as IPv6);
}

/** The canonical text of an address, so `::ffff:127.0.0.1` and `127.0.0.1` compare equal. */
export function canonicalAddress(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return undefined;
  return ipaddr.process(address).toString();
}

export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(host);
}

/**
 * The canonical `host:port` of an allow-list entry, as the URL parser would write the host
 * (`0x7f.1:8080` → `127.0.0.1:8080`, `[::1]:8080` stays bracketed); undefined if malformed.
 */
export function normaliseHostPort(entry: string): string | undefined {
  const match = /^(\[[^\]]+\]|[^:[\]/\s]+):(\d{1,5})$/.exec(entry.trim());
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return undefined;
  try {
    const url = new URL(`http://${match[1]}`);
    if (url.pathname !== "/" || url.username || url.search) return undefined;
    return `${url.hostname}:${port}`;
  } catch {
    return undefined;
  }
}
