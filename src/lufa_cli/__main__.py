from lufa_cli.cli.app import main

main()
