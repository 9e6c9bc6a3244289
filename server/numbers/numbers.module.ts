import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NumbersService } from './numbers.service.js';
import { SecretCipher } from './secret-cipher.js';
import { WhatsappNumber } from './whatsapp-number.entity.js';

/** The WhatsApp numbers (channels) of each workspace: webhook routing. */
@Module({
  imports: [TypeOrmModule.forFeature([WhatsappNumber])],
  providers: [NumbersService, SecretCipher],
  exports: [NumbersService],
})
export class NumbersModule {}
