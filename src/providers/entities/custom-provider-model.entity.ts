import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { microDollars } from '../../database/money.transformer';
import { CustomProviderEntity } from './custom-provider.entity';

@Entity('custom_provider_models')
@Index('UQ_custom_provider_models_provider_name', ['providerId', 'nameKey'], { unique: true })
export class CustomProviderModelEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'provider_id', type: 'varchar', length: 40 })
  providerId!: string;

  @ManyToOne(() => CustomProviderEntity, (provider) => provider.models, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'provider_id',
    foreignKeyConstraintName: 'FK_custom_provider_models_provider',
  })
  provider?: CustomProviderEntity;

  /** The name applications send as `model`. */
  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ name: 'name_key', type: 'varchar', length: 128 })
  nameKey!: string;

  /** What is sent upstream instead of `name`, when the server knows the model by another name. */
  @Column({ name: 'upstream_name', type: 'varchar', length: 256, nullable: true })
  upstreamName!: string | null;

  /** Micro-dollars per million input tokens; null when unpriced. */
  @Column({
    name: 'input_price_per_million',
    type: 'bigint',
    nullable: true,
    transformer: microDollars,
  })
  inputPricePerMillion!: number | null;

  @Column({
    name: 'output_price_per_million',
    type: 'bigint',
    nullable: true,
    transformer: microDollars,
  })
  outputPricePerMillion!: number | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;
}
