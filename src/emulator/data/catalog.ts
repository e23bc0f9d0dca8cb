// Word lists the generators draw from. Everything here is invented; nothing is fetched.

export interface CategoryTemplate {
  /** Root → leaf, as `category_chains` lists them. */
  chain: ReadonlyArray<readonly [id: string, name: string]>;
  nouns: readonly string[];
  /** Variation axes for SKUs (first axis varies fastest). */
  axes: ReadonlyArray<{ id: string; name: string; values: readonly string[] }>;
  /** Typical price band in whole currency units. */
  priceRange: readonly [number, number];
  weightGrams: readonly [number, number];
}

const COLOR = {
  id: '100000',
  name: 'Color',
  values: ['Black', 'White', 'Red', 'Navy', 'Sage', 'Sand', 'Pink', 'Grey'],
} as const;
const SIZE = { id: '100007', name: 'Size', values: ['XS', 'S', 'M', 'L', 'XL', 'XXL'] } as const;
const CAPACITY = {
  id: '100013',
  name: 'Capacity',
  values: ['350ml', '500ml', '750ml', '1L'],
} as const;
const SHADE = {
  id: '100021',
  name: 'Shade',
  values: ['Ivory', 'Beige', 'Honey', 'Caramel', 'Mocha', 'Espresso'],
} as const;
const PACK = { id: '100034', name: 'Pack', values: ['1 pc', '2 pcs', '3 pcs', '5 pcs'] } as const;

export const CATEGORIES: readonly CategoryTemplate[] = [
  {
    chain: [
      ['601152', 'Womenswear & Underwear'],
      ['601265', 'Women’s Tops'],
      ['601302', 'T-shirts'],
    ],
    nouns: ['Crew Neck Tee', 'Oversized T-Shirt', 'Ribbed Tank Top', 'Cropped Tee'],
    axes: [SIZE, COLOR],
    priceRange: [9, 39],
    weightGrams: [120, 300],
  },
  {
    chain: [
      ['824328', 'Menswear & Underwear'],
      ['824584', 'Men’s Underwear & Socks'],
      ['824712', 'Socks'],
    ],
    nouns: ['Invisible Socks', 'Crew Socks', 'Ankle Socks', 'Compression Socks'],
    axes: [PACK, COLOR],
    priceRange: [5, 24],
    weightGrams: [60, 250],
  },
  {
    chain: [
      ['600001', 'Home Supplies'],
      ['600024', 'Home Organizers'],
      ['853000', 'Storage Boxes & Bins'],
    ],
    nouns: ['Storage Box', 'Drawer Organizer', 'Laundry Basket', 'Closet Bin'],
    axes: [COLOR, PACK],
    priceRange: [8, 45],
    weightGrams: [300, 2200],
  },
  {
    chain: [
      ['600942', 'Kitchenware'],
      ['600099', 'Drinkware'],
      ['853411', 'Water Bottles'],
    ],
    nouns: ['Insulated Bottle', 'Travel Tumbler', 'Glass Water Bottle', 'Sports Bottle'],
    axes: [CAPACITY, COLOR],
    priceRange: [12, 49],
    weightGrams: [250, 700],
  },
  {
    chain: [
      ['700645', 'Beauty & Personal Care'],
      ['700700', 'Makeup'],
      ['848776', 'Foundation'],
    ],
    nouns: ['Liquid Foundation', 'Skin Tint', 'Cushion Compact', 'Concealer Stick'],
    axes: [SHADE],
    priceRange: [9, 42],
    weightGrams: [40, 180],
  },
  {
    chain: [
      ['602118', 'Phones & Electronics'],
      ['602230', 'Phone Accessories'],
      ['909320', 'Phone Cases'],
    ],
    nouns: ['Magnetic Phone Case', 'Clear Bumper Case', 'Wallet Case', 'Silicone Case'],
    axes: [COLOR, PACK],
    priceRange: [7, 29],
    weightGrams: [40, 120],
  },
  {
    chain: [
      ['605196', 'Sports & Outdoor'],
      ['605248', 'Fitness Equipment'],
      ['834312', 'Yoga Mats'],
    ],
    nouns: ['Yoga Mat', 'Resistance Band Set', 'Foam Roller', 'Grip Socks'],
    axes: [COLOR, SIZE],
    priceRange: [10, 69],
    weightGrams: [200, 1800],
  },
  {
    chain: [
      ['604453', 'Pet Supplies'],
      ['604490', 'Dog & Cat Accessories'],
      ['845512', 'Pet Beds'],
    ],
    nouns: ['Calming Pet Bed', 'Cat Window Perch', 'Dog Harness', 'Pet Grooming Glove'],
    axes: [SIZE, COLOR],
    priceRange: [11, 79],
    weightGrams: [150, 2500],
  },
];

export const ADJECTIVES = [
  'Soft',
  'Everyday',
  'Premium',
  'Lightweight',
  'Classic',
  'Eco',
  'Cozy',
  'Minimal',
  'Ultra',
  'Essential',
  'Breathable',
  'Vintage',
] as const;

export const MATERIALS = [
  'Cotton',
  'Bamboo',
  'Linen',
  'Stainless',
  'Silicone',
  'Recycled',
  'Organic',
  'Velvet',
] as const;

export const BRANDS = [
  { id: '7082427311584347905', name: 'Aurora Goods' },
  { id: '7082427311584347906', name: 'Kinfolk & Co' },
  { id: '7082427311584347907', name: 'Northbound' },
  { id: '7082427311584347908', name: 'Pebble Lane' },
  { id: '7082427311584347909', name: 'Halcyon' },
  { id: '7082427311584347910', name: 'Mossworth' },
] as const;

export const FIRST_NAMES = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Oliver',
  'Mia',
  'Elijah',
  'Amelia',
  'James',
  'Harper',
  'Lucas',
  'Isla',
  'George',
  'Freya',
  'Arthur',
] as const;

export const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Garcia',
  'Miller',
  'Davis',
  'Taylor',
  'Wilson',
  'Evans',
  'Thomas',
  'Roberts',
] as const;

export const STREETS = [
  'Maple Ave',
  'Oak Street',
  'Cedar Lane',
  'Harbor Road',
  'Hillcrest Drive',
  'Station Road',
  'Park Lane',
  'Church Street',
] as const;

export interface RegionPlaces {
  country: string;
  /** [city, state or county, postal code] */
  places: ReadonlyArray<readonly [string, string, string]>;
  phonePrefix: string;
}

export const REGIONS: Readonly<Record<string, RegionPlaces>> = {
  US: {
    country: 'United States',
    places: [
      ['San Jose', 'California', '95110'],
      ['Austin', 'Texas', '78701'],
      ['Columbus', 'Ohio', '43215'],
      ['Portland', 'Oregon', '97205'],
      ['Miami', 'Florida', '33130'],
      ['Denver', 'Colorado', '80202'],
      ['Brooklyn', 'New York', '11201'],
      ['Seattle', 'Washington', '98101'],
    ],
    phonePrefix: '(+1)',
  },
  GB: {
    country: 'United Kingdom',
    places: [
      ['London', 'Greater London', 'EC1A 1BB'],
      ['Manchester', 'Greater Manchester', 'M1 1AE'],
      ['Leeds', 'West Yorkshire', 'LS1 4AP'],
      ['Bristol', 'Bristol', 'BS1 4ST'],
      ['Glasgow', 'Glasgow City', 'G1 1XQ'],
      ['Birmingham', 'West Midlands', 'B1 1BB'],
    ],
    phonePrefix: '(+44)',
  },
};

export const CREATOR_HANDLES = [
  'dailyhaulwithmia',
  'thriftqueen.ella',
  'homehacks_jo',
  'gymbro.marcus',
  'skincarebysam',
  'petmomlife',
  'deskset.dan',
  'budgetbeauty.liz',
  'outfitcheck.kai',
  'cleantok.rosie',
  'unboxwithben',
  'minimal.home.ana',
] as const;

export const VIDEO_HOOKS = [
  'You need this',
  'Honest review:',
  'Unboxing the',
  'Obsessed with this',
  'Day 7 using the',
  'Why everyone is buying the',
  'Restock alert:',
  'Get ready with me ft.',
] as const;

export const LIVE_TITLES = [
  'Flash Sale Friday',
  'New Drop Launch Party',
  'Weekend Restock LIVE',
  'Q&A + Giveaway',
  'Bundle Deals Only Tonight',
  'Behind the Scenes Sale',
] as const;

export const CANCEL_REASONS = [
  'Buyer changed mind',
  'Out of stock',
  'Payment timeout',
  'Address not deliverable',
  'Duplicate order',
] as const;
