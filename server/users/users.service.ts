import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { User } from './user.entity.js';

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** Owner of the users table. */
@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  findById(id: number): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: normalizeEmail(email) });
  }

  /**
   * Inserts a user inside the caller's transaction. A duplicate email surfaces as the
   * unique index violation (23505): the database decides, even under concurrent sign-ups.
   */
  create(
    manager: EntityManager,
    input: { email: string; hashedPassword: string; name: string },
  ): Promise<User> {
    const user = manager.create(User, {
      email: normalizeEmail(input.email),
      hashedPassword: input.hashedPassword,
      name: input.name.trim(),
    });
    return manager.save(user);
  }

  async rename(user: User, name: string): Promise<User> {
    user.name = name.trim();
    return this.users.save(user);
  }

  /**
   * Stores a new password hash and bumps token_version, only if the version is still the
   * one the caller read (two concurrent changes cannot both succeed). Null when it moved.
   */
  async changePassword(
    userId: number,
    expectedVersion: number,
    hashedPassword: string,
  ): Promise<User | null> {
    const result = await this.users
      .createQueryBuilder()
      .update(User)
      .set({ hashedPassword, tokenVersion: () => 'token_version + 1' })
      .where('id = :userId AND token_version = :expectedVersion', { userId, expectedVersion })
      .execute();
    if (!result.affected) return null;
    return this.findById(userId);
  }

  async setActive(userId: number, isActive: boolean): Promise<void> {
    await this.users.update({ id: userId }, { isActive });
  }
}
