/* The words of the portfolio page. */
export const portfolioMessages = {} as const;
