// The generators' vocabulary: categories and their SKU axes, names, places, titles. It is data, so
// it lives in catalog.json; this module gives it types. Everything in it is invented.

import catalog from './catalog.json' with { type: 'json' };

export interface SkuAxis {
  id: string;
  name: string;
  values: readonly string[];
}

export interface CategoryTemplate {
  /** Root → leaf, as `category_chains` lists them. */
  chain: ReadonlyArray<{ id: string; name: string }>;
  nouns: readonly string[];
  /** Variation axes for SKUs (first axis varies fastest). */
  axes: readonly SkuAxis[];
  /** Typical price band in whole currency units. */
  priceRange: { min: number; max: number };
  weightGrams: { min: number; max: number };
}

export interface Place {
  city: string;
  /** State or county. */
  state: string;
  postalCode: string;
}

export interface WarehouseSite extends Place {
  name: string;
  subType: string;
  /** Country name; a cross-border shop may ship from another country. */
  region: string;
  regionCode: string;
  street: string;
}

export interface RegionPlaces {
  country: string;
  phonePrefix: string;
  /** Where buyers live. */
  places: readonly Place[];
  /** Where a shop of this region stocks its goods, default warehouse first. */
  warehouseSites: readonly WarehouseSite[];
}

const axesByName = new Map<string, SkuAxis>(catalog.skuAxes.map((axis) => [axis.name, axis]));

function axisNamed(name: string): SkuAxis {
  const axis = axesByName.get(name);
  if (!axis) throw new Error(`catalog.json names an unknown SKU axis: ${name}`);
  return axis;
}

export const CATEGORIES: readonly CategoryTemplate[] = catalog.categories.map((category) => ({
  ...category,
  axes: category.axes.map(axisNamed),
}));

export const REGIONS: Readonly<Record<string, RegionPlaces>> = catalog.regions;

export const BRANDS: ReadonlyArray<{ id: string; name: string }> = catalog.brands;

/** Word lists: adjectives and materials for titles, names, streets, handles, video and LIVE titles. */
export const WORDS = catalog.words;
