/** The app's shared pieces; screens import them from here. */
export { Avatar, initialsOf } from './Avatar.tsx';
export { Busy } from './Busy.tsx';
export { describeError, ErrorNotice, problemCodeOf } from './ErrorNotice.tsx';
export { fieldErrors } from './errors.ts';
export { Field, inputClass, type ControlProps, type FieldProps } from './Field.tsx';
export { audienceOf, homeOf, Layout, navFor, ROLE_NAMES, type Audience } from './Layout.tsx';
export { formatMoney, Money, ShopCurrency, useShop } from './Money.tsx';
export { Pagination, type PaginationProps } from './Pagination.tsx';
export { StatusBadge, statusText } from './StatusBadge.tsx';
