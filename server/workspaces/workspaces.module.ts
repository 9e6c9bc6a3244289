import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module.js';
import { InvitesService } from './invites.service.js';
import { Workspace } from './workspace.entity.js';
import { WorkspaceController, WorkspacesController } from './workspace.controller.js';
import { WorkspaceInvite } from './workspace-invite.entity.js';
import { WorkspaceMember } from './workspace-member.entity.js';
import { WorkspacesService } from './workspaces.service.js';

/** Workspaces, their members and roles, and invitations. */
@Module({
  imports: [TypeOrmModule.forFeature([Workspace, WorkspaceMember, WorkspaceInvite]), EventsModule],
  controllers: [WorkspaceController, WorkspacesController],
  providers: [WorkspacesService, InvitesService],
  exports: [WorkspacesService, InvitesService],
})
export class WorkspacesModule {}
