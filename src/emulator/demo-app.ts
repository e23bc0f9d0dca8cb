// The emulator's built-in demo app: public, non-secret values so the sandbox works with no setup.

/** Default app registered in the emulator; every value can be overridden through EmulatorOptions. */
export const DEMO_APP = {
  appKey: '6a1b2c3d4e5f6',
  appSecret: 'demo-secret-not-for-production',
  /** Identifies the app on the `/open/authorize?service_id=…` page (§2.1). */
  serviceId: '7100000000000000001',
} as const;
