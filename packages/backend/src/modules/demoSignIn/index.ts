export { demoSignInAuthModule } from './authModule';
export { demoSignInUsersPlugin } from './usersPlugin';
export { assertDevelopment } from './assertDevelopment';
