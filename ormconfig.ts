import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/load-config';
import { dataSourceOptions } from './src/database/data-source-options';

// The TypeORM CLI's data source: the same options the app uses, from the same environment variables.
export default new DataSource(dataSourceOptions(loadConfig(process.env).database));
