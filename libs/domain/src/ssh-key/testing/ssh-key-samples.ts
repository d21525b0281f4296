/**
 * OpenSSH public keys made with ssh-keygen for tests, with the fingerprints `ssh-keygen -l -E sha256`
 * printed for them. The private halves were thrown away: tests that log in make their own keys.
 */
export const SAMPLE_SSH_KEYS = {
  ed25519: {
    publicKey:
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJCB+bQQo8irX8fSVqyeIIhL8roXbNGuftdFzGtyq1GZ user@ed25519',
    fingerprint: 'SHA256:wb6nUhUpFTqdUNWVgVXyIggrPibUsJ+9V7InhLN8+QA',
  },
  ecdsa256: {
    publicKey:
      'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBMsN+ERKKs1eRjkOinan7DrELlz6FzpxFDVd1S6oZ3hv/eZXBP4qeU01cyUaf4Ma8k9SKmPxVZNcH1QXYkpjEIE= user@ecdsab256',
    fingerprint: 'SHA256:GBmg5D5TWPzD3DAOd6B3aBk6VvHQ/Sb6zPE6QVxlaRE',
  },
  ecdsa384: {
    publicKey:
      'ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBEXa8zYk58UhzChHNz+FbhMIr1wO1QS8N2sh+JdWzGAUuiE5RqBeswRcihX+aXX2YNiMpec5eu3Tqx1/EXc/cmyM4u/dgal9so+e2iwRQXih3H+7QpLOVJgyq0q0QkkvSw== user@ecdsab384',
    fingerprint: 'SHA256:QeTi86V2INOE3KTItI/B/jYsEGyohd5FlTrjdwiSihQ',
  },
  ecdsa521: {
    publicKey:
      'ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAAfBvdjyyGeEJ41v6ay6+ErwHF1XX+m4jj+MOsszeytleP4KbCMprK35cBtnJfXtGPpANtdDy47LItkxkWaU2kizwFIMrwRxFgXwHkDo+UXE/ZXMxX51llaYWgNCtK3Q2aJDZRYPyLb+3952jJ4omdb9lkRx/RIiOI4tdxZiG7KnI5JTQ== user@ecdsab521',
    fingerprint: 'SHA256:wzuY6DH3ljo9gMGlnfGfVP/ixrI+9GYa+rH1ZW0eEAs',
  },
  rsa2048: {
    publicKey:
      'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDOQYiQnx0DxD5mSPB0BM7EkW+O+LiDGt1I2H6vnHia95S3pE9rrK2cA85nrqR3T/NkoEqgfGoLjB4ztTgBCv7ObtGOPhUmYcrG88fycPV+oyQxLcP1251pf7wCEhC3tfzchM0flyBUYagdI7DYqexLA+md7ewUsdlctkUMtRJCmZ/LOylqqRaaHJUFq+HZGdHIrjv3FfkaqqNEVIuBj53ZpeJEnYEkLOVN5YKQCXkjhgLH1fivlvF37C8Ke/Wy3LK61C5jpTGtTnARPt0lB92NjJn5eWWO9vM+1SYyVUCe3lUo5ZRGZS/3evrTolUNraExODI+C/4g98GUZlGGe8Sl user@rsab2048',
    fingerprint: 'SHA256:0NjI3gBXIn8Y9BXHWVGS5/T/ExuvgqzJQmctMsGAkdM',
  },
  rsa1024: {
    publicKey:
      'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDLCH7l6Wt7U7k3KK8d48I4s/ep1dLoCQqPZ76r6XNLvcYOY2bkfl2C7SUgD5OItFExOdl96SaohMGuDG4WPuzVvCQ3wLLFSq0H0koMo3icLdptNS6YAVryXVsaexVZQFT8oxWhpTSCbH5M+lvXILcikNvIoQJ2YvXN/OzFv0XVXw== user@rsab1024',
    fingerprint: 'SHA256:3j83MhzCBF99H3QlNvAKttjOxWxpqoXxPGfPHuKqGx0',
  },
  rsa3072: {
    publicKey:
      'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDV23dfhHf/yClvH+1YXShHyrSDl0o+wq2JwqdfPvUK5YEsnsytRdtlGRjQkEHQEEVws+tVWAIoP1f0aIjijxF1ntEZA+mQZui+IApVrGynfU3NGRHxFZd74gi//hzFjVMYXpSc56E1wgWubNe5Zia9bxJdRtzUNLlVvitb7cQZSYGfelGAW3rCfZNMDnIQ/GivIC1Xn/kBEhAcdJg1J2ox+JqnnDtDnMoKbkh+tuHzNa45nY6lsyAQ3rg3M2MP+jqcta/uS0nRKMZSDI/SM2S+zz5YY8IXPCzjaqmOvV1fU7UjMiq8hAzkdjB+677BfBjVpw+G6rjNDyf5N2wBcAURMVqdGvTTvO270/W8dcNI/BY0x3cKIlMfNyBLKeNmrKl5UoRrdQEsutX300tdqAnUnazshglrJ8b+YUdYMN4xSbh1hHdxU0x1PtRQ/UrPLcF7lkxcUVkP1lYDv2nL91+IYrOjoESl0zQGKJ9AoYbBokvfhPoh17a7LsajAasszYs= user@rsab3072',
    fingerprint: 'SHA256:pwGQCSXGrdjHP3Mwws/3TOE01BS5+n4wvL8jpjDPny8',
  },
  dsa: {
    publicKey:
      'ssh-dss AAAAB3NzaC1kc3MAAACBAKvaanZoT7rR6Ljvkl0hmNTDuFaid3SxDaei+TLegTBf/k13xxG95WZsg3YaRqnkTJah8ktgE80dBDFcMYnGEdcnwI7iGvwTpOGSi2fCz7XcnNGq0l4b2xoYnmR0ViNMYRdmi2nfZ4/8kVWylR3mY3W1J+Zb+xXP42Gm3gzPYFNBAAAAFQDFsgZDl79Bor88XhxbhMGeRRNwVwAAAIB2MwOUHvF93lfPGK20eN+kTVP6FKjjm1AU+vH6UJBMVPNez6nmdBddUgHxqFdnEqx8mqiskPoWUWzpjFRpOa5QI8ePU82UaFLA+dCzTuw/Urd2kmSbGp6Bxh3ZCUbnBoFwFtjCR0k4FECh6F5CQzjZ5b9DTmbF9oWVMUnLk4zdogAAAIAA/OfftWB2WMuGzWSJ6VxWVH2KbZ1NMARQkUknAjEcBH3+diugRAi8/Bmma8oOpbe9CeaVVco3ytjcU5CVIM+yytxIWahQXhSY4oTlILZ5S3+XYMKiSNyhq2eQJaMN3QbZe/Yh3nD16tqdIQtPWylF1JxEWWJmGkGrPcq1I7TZ6A== user@dsa',
    fingerprint: 'SHA256:YNohO4rQFGlUFunuX0LEMgIbcstL7KhWT3o5IjMa4/A',
  },
} as const;
