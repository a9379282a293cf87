import { makeIban } from "./iban";

/**
 * The demo world: two customers, their accounts and transactions, and the ad
 * inventory. Everything comes from a seeded PRNG and a fixed epoch, so every
 * run (and every `reset()`) produces the same data and tests can rely on it.
 * Records are deliberately fat and in each team's own naming convention: the
 * BFF's job is to harmonise and trim them.
 */

/** All demo dates lie before this instant; transaction i is older than transaction i-1. */
export const DEMO_EPOCH_MS = Date.parse("2025-06-02T09:30:00.000Z");

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** mulberry32: tiny, fast, good enough for demo data, and seedable (Math.random is not). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit seed from a string (FNV-1a). */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function hex(random: () => number, length: number): string {
  let out = "";
  while (out.length < length) out += Math.floor(random() * 16).toString(16);
  return out;
}

function digits(random: () => number, length: number): string {
  let out = "";
  while (out.length < length) out += String(Math.floor(random() * 10));
  return out;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

// ---------------------------------------------------------------------------
// Users (snake_case, verbose)

export interface UserRecord {
  user_id: string;
  first_name: string;
  last_name: string;
  email_address: string;
  avatar_url: string | null;
  created_at: string;
  updated_at: string;
  locale: string;
  timezone: string;
  phone_number: string;
  date_of_birth: string;
  address: { line_1: string; line_2: string | null; city: string; postal_code: string; country_code: string };
  kyc: {
    status: "verified" | "pending" | "rejected";
    level: number;
    verified_at: string;
    document_type: string;
    provider: string;
    risk_score: number;
    pep_check: "clear" | "match";
  };
  marketing: { segments: string[]; consent: { email: boolean; sms: boolean; push: boolean }; last_campaign_id: string };
  internal_flags: string[];
  preferences: { theme: string; statement_frequency: string; two_factor_method: string };
  record_version: number;
  etag: string;
  _links: { self: { href: string }; account: { href: string } };
}

// ---------------------------------------------------------------------------
// Accounts (camelCase, decimal strings). Balances live as integer cents in the
// state; `accountView` in payments.ts turns them into the decimal strings.

export interface AccountSeed {
  accountId: string;
  iban: string;
  currency: string;
  availableCents: number;
  ledgerCents: number;
  /** The rest of the fat record, returned as is. */
  details: {
    bic: string;
    holderName: string;
    accountType: string;
    productCode: string;
    status: string;
    openedAt: string;
    overdraftLimit: string;
    interestRate: string;
    limits: {
      dailyTransferLimit: string;
      singlePaymentLimit: string;
      monthlyTransferLimit: string;
      atmDailyLimit: string;
    };
    branch: { code: string; name: string; country: string };
    lastStatementAt: string;
    flags: string[];
  };
}

// ---------------------------------------------------------------------------
// Transactions (envelope, minor units)

export interface TransactionRecord {
  id: string;
  amount_minor: number;
  currency: string;
  booked_at: string;
  counterparty: { name: string; iban: string };
  category: string;
  raw: { [key: string]: Json };
}

// ---------------------------------------------------------------------------
// Demo customers

export interface DemoCustomer {
  email: string;
  password: string;
  user: UserRecord;
  account: AccountSeed;
  /** Newest first. */
  transactions: TransactionRecord[];
}

interface CustomerSpec {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  locale: string;
  timezone: string;
  currency: string;
  availableCents: number;
  ledgerCents: number;
  transactionCount: number;
  segments: string[];
  country: string;
  city: string;
  ibanCountry: "DE" | "GB";
  createdAt: string;
  dateOfBirth: string;
}

const CUSTOMERS: readonly CustomerSpec[] = [
  {
    email: "ada@example.com",
    password: "Analytical-Engine-1843",
    firstName: "Ada",
    lastName: "Lovelace",
    locale: "en-GB",
    timezone: "Europe/London",
    currency: "EUR",
    availableCents: 1_234_567,
    ledgerCents: 1_240_000,
    transactionCount: 60,
    segments: ["savers", "travel"],
    country: "GB",
    city: "London",
    ibanCountry: "DE",
    createdAt: "2019-03-14T10:15:00.000Z",
    dateOfBirth: "1815-12-10",
  },
  {
    email: "grace@example.com",
    password: "Cobol-1959-Compiler",
    firstName: "Grace",
    lastName: "Hopper",
    locale: "en-US",
    timezone: "America/New_York",
    currency: "USD",
    availableCents: 302_150,
    ledgerCents: 310_000,
    transactionCount: 25,
    segments: ["tech"],
    country: "US",
    city: "Arlington",
    ibanCountry: "GB",
    createdAt: "2021-09-09T15:45:00.000Z",
    dateOfBirth: "1906-12-09",
  },
];

function ibanFor(random: () => number, country: string): string {
  switch (country) {
    case "DE":
      return makeIban("DE", digits(random, 18));
    case "GB":
      return makeIban("GB", `${pick(random, ["NWBK", "BARC", "MIDL", "LOYD"])}${digits(random, 14)}`);
    case "NL":
      return makeIban("NL", `${pick(random, ["ABNA", "INGB", "RABO"])}${digits(random, 10)}`);
    case "AT":
      return makeIban("AT", digits(random, 16));
    default:
      throw new Error(`no IBAN format for ${country}`);
  }
}

interface CategorySpec {
  category: string;
  /** Range of the amount in cents; negative for debits. */
  min: number;
  max: number;
  channel: string;
  mcc: string | null;
  counterparties: readonly string[];
}

const CATEGORIES: readonly CategorySpec[] = [
  { category: "groceries", min: -12_000, max: -450, channel: "card", mcc: "5411", counterparties: ["Fresh Market", "Corner Grocer", "Organic Basket"] },
  { category: "restaurants", min: -9_500, max: -850, channel: "card", mcc: "5812", counterparties: ["Babbage Bistro", "The Difference Engine Cafe", "Noodle House"] },
  { category: "transport", min: -6_000, max: -250, channel: "card", mcc: "4111", counterparties: ["Metro Transit", "City Bikes", "RailLink"] },
  { category: "utilities", min: -15_000, max: -3_000, channel: "direct_debit", mcc: null, counterparties: ["Bright Power Ltd", "AquaFlow Water", "FibreNet Broadband"] },
  { category: "shopping", min: -25_000, max: -999, channel: "card", mcc: "5311", counterparties: ["Bookworm & Co", "Gadget Hub", "Threads Apparel"] },
  { category: "entertainment", min: -4_500, max: -799, channel: "card", mcc: "7832", counterparties: ["Starlight Cinema", "TuneStream", "Punch Card Games"] },
  { category: "travel", min: -60_000, max: -4_900, channel: "card", mcc: "4511", counterparties: ["Northwind Airlines", "Harbour Hotels", "Rail Europa"] },
  { category: "transfer", min: -50_000, max: -1_000, channel: "sepa", mcc: null, counterparties: ["Charles Babbage", "Mary Somerville", "Augustus De Morgan"] },
];

const INCOME: CategorySpec = {
  category: "income",
  min: 250_000,
  max: 420_000,
  channel: "sepa",
  mcc: null,
  counterparties: ["Analytical Engines plc"],
};

function counterpartyIban(name: string): string {
  const random = seededRandom(seedOf(`counterparty:${name}`));
  return ibanFor(random, pick(random, ["DE", "GB", "NL", "AT"]));
}

function transactionsFor(spec: CustomerSpec, random: () => number): TransactionRecord[] {
  const items: TransactionRecord[] = [];
  let at = DEMO_EPOCH_MS - 2 * 3_600_000;
  for (let i = 0; i < spec.transactionCount; i++) {
    const kind = i % 14 === 6 ? INCOME : pick(random, CATEGORIES);
    const amount = Math.round(kind.min + random() * (kind.max - kind.min));
    const name = pick(random, kind.counterparties);
    const iban = counterpartyIban(name);
    const id = `txn_${hex(random, 16)}`;
    const bookedAt = iso(at);
    items.push({
      id,
      amount_minor: amount,
      currency: spec.currency,
      booked_at: bookedAt,
      counterparty: { name, iban },
      category: kind.category,
      raw: {
        status: "booked",
        channel: kind.channel,
        mcc: kind.mcc,
        value_date: bookedAt.slice(0, 10),
        bank_transaction_code: amount < 0 ? "PMNT-ICDT-ESCT" : "PMNT-RCDT-ESCT",
        end_to_end_id: `E2E${digits(random, 12)}`,
        description: `${name.toUpperCase()} ${spec.city.toUpperCase()}`,
        original_amount: { value: (Math.abs(amount) / 100).toFixed(2), currency: spec.currency },
        ledger_entry_id: `le_${hex(random, 12)}`,
        reconciled: true,
      },
    });
    // 6 to 40 hours between transactions, so 60 of them span a few months.
    at -= Math.round((6 + random() * 34) * 3_600_000);
  }
  return items;
}

function customer(spec: CustomerSpec): DemoCustomer {
  const random = seededRandom(seedOf(spec.email));
  const userId = `usr_${hex(random, 12)}`;
  const accountId = `acc_${hex(random, 12)}`;
  const iban = ibanFor(random, spec.ibanCountry);
  const user: UserRecord = {
    user_id: userId,
    first_name: spec.firstName,
    last_name: spec.lastName,
    email_address: spec.email,
    avatar_url: `https://avatars.users.example/${userId}.png`,
    created_at: spec.createdAt,
    updated_at: iso(DEMO_EPOCH_MS - 30 * 86_400_000),
    locale: spec.locale,
    timezone: spec.timezone,
    phone_number: spec.country === "US" ? `+1 703 ${digits(random, 3)} ${digits(random, 4)}` : `+44 20 ${digits(random, 4)} ${digits(random, 4)}`,
    date_of_birth: spec.dateOfBirth,
    address: {
      line_1: `${1 + Math.floor(random() * 200)} Engine Street`,
      line_2: null,
      city: spec.city,
      postal_code: digits(random, 5),
      country_code: spec.country,
    },
    kyc: {
      status: "verified",
      level: 2,
      verified_at: iso(Date.parse(spec.createdAt) + 2 * 86_400_000),
      document_type: "passport",
      provider: "idcheck-standin",
      risk_score: Math.round(random() * 100) / 100,
      pep_check: "clear",
    },
    marketing: {
      segments: [...spec.segments],
      consent: { email: true, sms: false, push: true },
      last_campaign_id: `cmp_${hex(random, 8)}`,
    },
    internal_flags: ["beta_dashboard", "fraud_model_v3"],
    preferences: { theme: "system", statement_frequency: "monthly", two_factor_method: "app" },
    record_version: 7,
    etag: `W/"${hex(random, 16)}"`,
    _links: { self: { href: `/v1/users/${userId}` }, account: { href: `/v2/accounts/${accountId}` } },
  };
  const account: AccountSeed = {
    accountId,
    iban,
    currency: spec.currency,
    availableCents: spec.availableCents,
    ledgerCents: spec.ledgerCents,
    details: {
      bic: spec.ibanCountry === "DE" ? "STANDEFFXXX" : "STANGB2LXXX",
      holderName: `${spec.firstName} ${spec.lastName}`,
      accountType: "current",
      productCode: "CUR-STD-01",
      status: "active",
      openedAt: spec.createdAt,
      overdraftLimit: "0.00",
      interestRate: "0.0125",
      limits: {
        dailyTransferLimit: "10000.00",
        singlePaymentLimit: "5000.00",
        monthlyTransferLimit: "50000.00",
        atmDailyLimit: "500.00",
      },
      branch: { code: digits(random, 6), name: `${spec.city} Central`, country: spec.ibanCountry },
      lastStatementAt: iso(DEMO_EPOCH_MS - 2 * 86_400_000),
      flags: ["sepa_instant_enabled"],
    },
  };
  return {
    email: spec.email,
    password: spec.password,
    user,
    account,
    transactions: transactionsFor(spec, random),
  };
}

/** The demo logins, for READMEs and start-up banners. */
export const DEMO_CUSTOMERS: readonly { email: string; password: string; name: string }[] = CUSTOMERS.map((spec) => ({
  email: spec.email,
  password: spec.password,
  name: `${spec.firstName} ${spec.lastName}`,
}));

/** A fresh copy of the demo customers (fresh objects every call, so state can mutate them freely). */
export function createDemoCustomers(): DemoCustomer[] {
  return CUSTOMERS.map(customer);
}

// ---------------------------------------------------------------------------
// Ads (fat payload the BFF must trim)

export const PLACEMENTS = ["sidebar", "banner", "inline"] as const;
export type Placement = (typeof PLACEMENTS)[number];

export interface AdRecord {
  id: string;
  placement: Placement;
  creative: {
    headline: string;
    body: string;
    image: { url: string; width: number; height: number; alt: string };
    cta_label: string;
  };
  click_url: string;
  sponsor_name: string;
  campaign: {
    id: string;
    name: string;
    budget_cents: number;
    spent_cents: number;
    cpm_cents: number;
    advertiser_account: string;
    starts_at: string;
    ends_at: string;
    pacing: string;
  };
  targeting: {
    segments: string[];
    geo: string[];
    age_range: { min: number; max: number };
    devices: string[];
    frequency_cap: { impressions: number; per_hours: number };
  };
  scoring: { base_score: number; ctr_estimate: number; quality: string; bid_cents: number; model_version: string };
  tracking: { impression_pixel_url: string; viewability_vendor: string };
  internal_notes: string;
}

interface AdSpec {
  placement: Placement;
  sponsor: string;
  domain: string;
  headline: string;
  body: string;
  segments: string[];
}

const AD_SPECS: readonly AdSpec[] = [
  { placement: "sidebar", sponsor: "Harbor Savings Co.", domain: "harbor-savings.example", headline: "Grow your savings at 3.1%", body: "An easy-access savings pot with no fees.", segments: ["savers"] },
  { placement: "sidebar", sponsor: "Northwind Travel", domain: "northwind-travel.example", headline: "Weekend in Lisbon from 89", body: "Flights and hotel, cancel for free.", segments: ["travel"] },
  { placement: "sidebar", sponsor: "Byte Academy", domain: "byte-academy.example", headline: "Learn to code in 12 weeks", body: "Evening classes, taught by engineers.", segments: ["tech", "students"] },
  { placement: "sidebar", sponsor: "Lumen Insurance", domain: "lumen-insurance.example", headline: "Home cover in five minutes", body: "Fair prices, claims paid in days.", segments: [] },
  { placement: "banner", sponsor: "Atlas Mobile", domain: "atlas-mobile.example", headline: "Roam like at home in 60 countries", body: "One plan, no surprise bills.", segments: ["travel"] },
  { placement: "banner", sponsor: "Green Energy Co-op", domain: "green-energy.example", headline: "Switch to 100% renewable power", body: "Owned by its members since 2009.", segments: [] },
  { placement: "banner", sponsor: "Quanta Cloud", domain: "quanta-cloud.example", headline: "Servers that scale with you", body: "Free credits for your first project.", segments: ["tech"] },
  { placement: "banner", sponsor: "Harbor Savings Co.", domain: "harbor-savings.example", headline: "Save for a rainy day", body: "Round up every card payment into savings.", segments: ["savers"] },
  { placement: "inline", sponsor: "Northwind Travel", domain: "northwind-travel.example", headline: "Travel insurance for the whole year", body: "One price, every trip covered.", segments: ["travel"] },
  { placement: "inline", sponsor: "Ledgerly", domain: "ledgerly.example", headline: "Budgeting that adds up", body: "See where your money goes each month.", segments: ["savers"] },
  { placement: "inline", sponsor: "Byte Academy", domain: "byte-academy.example", headline: "Data science, part time", body: "Scholarships for career changers.", segments: ["tech"] },
  { placement: "inline", sponsor: "Bookworm & Co", domain: "bookworm.example", headline: "Three books for the price of two", body: "This month only, in store and online.", segments: [] },
];

const AD_SIZES: Record<Placement, { width: number; height: number }> = {
  sidebar: { width: 300, height: 250 },
  banner: { width: 728, height: 90 },
  inline: { width: 600, height: 200 },
};

const PALETTES = [
  ["#0b5cad", "#49a3e8"],
  ["#0d7a3e", "#6cc08b"],
  ["#7a3e9d", "#c28be0"],
  ["#b3541e", "#f0a45d"],
] as const;

/**
 * A creative that needs no network: an SVG data URI with the sponsor's initial on
 * a gradient. A real ad server would point at its CDN, which this closed machine
 * (and a partner demo offline) could not reach.
 */
function creativeImage(spec: AdSpec, size: { width: number; height: number }): string {
  const [from, to] = PALETTES[spec.sponsor.length % PALETTES.length] ?? PALETTES[0];
  const initial = spec.sponsor.charAt(0);
  const fontSize = Math.round(size.height * 0.6);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>` +
    `<rect width="100%" height="100%" fill="url(#g)"/>` +
    `<text x="50%" y="50%" dominant-baseline="central" text-anchor="middle" font-family="system-ui,sans-serif" font-weight="700" font-size="${fontSize}" fill="#ffffff" fill-opacity="0.9">${initial}</text>` +
    `</svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

/** The ad inventory, best-scored first within each placement. */
export function createAds(): AdRecord[] {
  const random = seededRandom(seedOf("ads"));
  const ads = AD_SPECS.map((spec, index): AdRecord => {
    const id = `ad_${hex(random, 10)}`;
    const campaignId = `cmp_${hex(random, 8)}`;
    const budget = 100_000 * (1 + Math.floor(random() * 20));
    return {
      id,
      placement: spec.placement,
      creative: {
        headline: spec.headline,
        body: spec.body,
        image: { url: creativeImage(spec, AD_SIZES[spec.placement]), ...AD_SIZES[spec.placement], alt: spec.headline },
        cta_label: "Learn more",
      },
      click_url: `https://${spec.domain}/offer?utm_source=fintech-bff&utm_medium=${spec.placement}&utm_campaign=${campaignId}`,
      sponsor_name: spec.sponsor,
      campaign: {
        id: campaignId,
        name: `${spec.sponsor} Q${1 + (index % 4)}`,
        budget_cents: budget,
        spent_cents: Math.floor(budget * random()),
        cpm_cents: 150 + Math.floor(random() * 900),
        advertiser_account: `adv_${hex(random, 10)}`,
        starts_at: iso(DEMO_EPOCH_MS - 30 * 86_400_000),
        ends_at: iso(DEMO_EPOCH_MS + 60 * 86_400_000),
        pacing: "even",
      },
      targeting: {
        segments: [...spec.segments],
        geo: ["DE", "GB", "US", "NL"],
        age_range: { min: 18, max: 65 },
        devices: ["desktop", "mobile"],
        frequency_cap: { impressions: 3, per_hours: 24 },
      },
      scoring: {
        base_score: Math.round(random() * 1000) / 1000,
        ctr_estimate: Math.round(random() * 500) / 10_000,
        quality: pick(random, ["A", "B", "C"]),
        bid_cents: 50 + Math.floor(random() * 400),
        model_version: "ctr-2025.05",
      },
      tracking: {
        impression_pixel_url: `https://track.ads.example/i/${id}.gif`,
        viewability_vendor: "viewcheck",
      },
      internal_notes: `Advertiser margin tier ${1 + Math.floor(random() * 3)}; do not expose.`,
    };
  });
  return ads.sort((a, b) => b.scoring.base_score - a.scoring.base_score);
}
