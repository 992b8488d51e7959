declare module "rate-limiter-flexible/lib/RateLimiterStoreAbstract.js" {
  const RateLimiterStoreAbstract: unknown;
  export default RateLimiterStoreAbstract;
}
