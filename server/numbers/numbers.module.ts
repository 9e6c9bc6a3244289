import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueModule } from '../queue/queue.module.js';
import { NumbersService } from './numbers.service.js';
import { SecretCipher } from './secret-cipher.js';
import { WhatsappNumber } from './whatsapp-number.entity.js';

/** The WhatsApp numbers (channels) of each workspace: webhook routing. */
@Module({
  imports: [TypeOrmModule.forFeature([WhatsappNumber]), QueueModule],
  providers: [NumbersService, SecretCipher],
  exports: [NumbersService],
})
export class NumbersModule {}
