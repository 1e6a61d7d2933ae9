import type { SharingLink, SharingLinkScope, SharingLinkType } from '../drive-items.js';
import { invalidInput } from '../errors.js';
import type { Identity } from '../identity.js';
import { itemId } from '../item-ref.js';
import type { DriveItemsGateway } from '../../ports/drive-items-gateway.js';

const TYPES: readonly SharingLinkType[] = ['view', 'edit'];
const SCOPES: readonly SharingLinkScope[] = ['anonymous', 'organization'];

/** Creates (or returns the existing) sharing link of a type and scope for an item. */
export class CreateSharingLink {
  constructor(private readonly drive: DriveItemsGateway) {}

  execute(caller: Identity, input: { itemId: string; type: SharingLinkType; scope: SharingLinkScope }): Promise<SharingLink> {
    if (!TYPES.includes(input.type)) throw invalidInput('files.invalidLinkType', 'The link type must be view or edit.');
    if (!SCOPES.includes(input.scope)) throw invalidInput('files.invalidLinkScope', 'The link scope must be anonymous or organization.');
    return this.drive.createLink(caller, itemId(input.itemId), input.type, input.scope);
  }
}
