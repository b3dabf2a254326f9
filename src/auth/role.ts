/** The roles a coalition member can have. Auth checks them (`@Roles()`), accounts stores them: they live with the lower of the two. */
export const ROLES = ['admin', 'coordinator', 'member'] as const;
export type Role = (typeof ROLES)[number];
